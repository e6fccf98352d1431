//! Where panels go when one is moved or resized on the 24-column grid, the
//! same for the keyboard and the mouse: the panel takes its new place, kept
//! inside the columns, and panels it now overlaps are pushed down below it,
//! in cascade, as Grafana does.

use dashstudio_core::model::GridPos;

use crate::ui::grid::COLUMNS;

/// Whether two boxes share a cell.
pub fn overlaps(a: GridPos, b: GridPos) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// `pos` kept inside the grid: at least one cell, within the 24 columns,
/// not above the top.
pub fn clamp(pos: GridPos) -> GridPos {
    let w = pos.w.clamp(1, COLUMNS);
    GridPos {
        x: pos.x.clamp(0, COLUMNS - w),
        y: pos.y.max(0),
        w,
        h: pos.h.max(1),
    }
}

/// The positions after panel `id` of `panels` goes to `to` (clamped):
/// every panel whose position changes, the moved one first. Empty when
/// nothing changes or `id` is not there.
pub fn place(panels: &[(i64, GridPos)], id: i64, to: GridPos) -> Vec<(i64, GridPos)> {
    let Some(from) = panels.iter().find(|(i, _)| *i == id).map(|(_, p)| *p) else {
        return Vec::new();
    };
    let to = clamp(to);
    if to == from {
        return Vec::new();
    }
    let mut now: Vec<(i64, GridPos)> = panels.to_vec();
    for (i, p) in &mut now {
        if *i == id {
            *p = to;
        }
    }
    // Push down what the moved panels overlap, top first; each push moves a
    // panel strictly down, so this ends (the cap is only a guard).
    let mut queue = vec![id];
    let mut guard = panels.len() * panels.len() + 16;
    while let Some(mover) = queue.pop() {
        let Some(m) = now.iter().find(|(i, _)| *i == mover).map(|(_, p)| *p) else {
            continue;
        };
        let mut hit: Vec<usize> = (0..now.len())
            .filter(|&k| now[k].0 != mover && now[k].0 != id && overlaps(m, now[k].1))
            .collect();
        hit.sort_by_key(|&k| std::cmp::Reverse(now[k].1.y));
        for k in hit {
            now[k].1.y = m.y + m.h;
            queue.push(now[k].0);
        }
        guard = guard.saturating_sub(1);
        if guard == 0 {
            break;
        }
    }
    let mut changed: Vec<(i64, GridPos)> = vec![(id, to)];
    changed.extend(
        now.into_iter()
            .zip(panels)
            .filter(|((i, p), (_, before))| *i != id && p != before)
            .map(|(n, _)| n),
    );
    changed
}

/// Where a drag of `delta` cells (columns, rows) from `start` puts the
/// panel: moved (`resize` false) or its bottom-right corner dragged.
pub fn dragged(start: GridPos, delta: (i64, i64), resize: bool) -> GridPos {
    let (dx, dy) = delta;
    if resize {
        GridPos {
            w: (start.w + dx).clamp(1, COLUMNS - start.x),
            h: (start.h + dy).max(1),
            ..start
        }
    } else {
        clamp(GridPos {
            x: start.x + dx,
            y: start.y + dy,
            ..start
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: i64, y: i64, w: i64, h: i64) -> GridPos {
        GridPos { x, y, w, h }
    }

    #[test]
    fn a_free_move_changes_only_the_moved_panel() {
        let panels = [(1, at(0, 0, 12, 8)), (2, at(12, 0, 12, 8))];
        assert_eq!(
            place(&panels, 1, at(0, 8, 12, 8)),
            vec![(1, at(0, 8, 12, 8))]
        );
        assert_eq!(place(&panels, 1, at(0, 0, 12, 8)), vec![]);
        assert_eq!(place(&panels, 9, at(0, 0, 1, 1)), vec![]);
    }

    #[test]
    fn overlapped_panels_are_pushed_down_in_cascade() {
        // 1 on top, 2 right below it, 3 below 2; 1 grows by a row.
        let panels = [
            (1, at(0, 0, 12, 8)),
            (2, at(0, 8, 12, 4)),
            (3, at(0, 12, 24, 2)),
            (4, at(12, 0, 12, 8)),
        ];
        assert_eq!(
            place(&panels, 1, at(0, 0, 12, 9)),
            vec![
                (1, at(0, 0, 12, 9)),
                (2, at(0, 9, 12, 4)),
                (3, at(0, 13, 24, 2))
            ]
        );
        // Moved onto its neighbour: the neighbour goes below it.
        assert_eq!(
            place(&panels, 4, at(6, 0, 12, 8)),
            vec![
                (4, at(6, 0, 12, 8)),
                (1, at(0, 8, 12, 8)),
                (2, at(0, 16, 12, 4)),
                (3, at(0, 20, 24, 2)),
            ]
        );
    }

    #[test]
    fn places_stay_inside_the_grid() {
        assert_eq!(clamp(at(20, -3, 8, 0)), at(16, 0, 8, 1));
        assert_eq!(clamp(at(0, 0, 30, 2)), at(0, 0, 24, 2));
        assert_eq!(dragged(at(4, 4, 6, 4), (30, -10), false), at(18, 0, 6, 4));
        assert_eq!(dragged(at(4, 4, 6, 4), (2, 1), false), at(6, 5, 6, 4));
        assert_eq!(dragged(at(4, 4, 6, 4), (30, 3), true), at(4, 4, 20, 7));
        assert_eq!(dragged(at(4, 4, 6, 4), (-10, -10), true), at(4, 4, 1, 1));
    }
}
