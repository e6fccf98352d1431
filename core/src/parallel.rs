//! Data parallelism without dependencies: `map` over a slice on every core
//! with scoped threads (work handed out one item at a time), in order.
//! In the browser (wasm32, no threads) it runs sequentially.

/// `items.iter().map(f).collect()`, computed on up to all available cores.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len());
        if workers > 1 {
            let next = AtomicUsize::new(0);
            let mut parts: Vec<(usize, R)> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut done = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(item) = items.get(i) else { break };
                                done.push((i, f(item)));
                            }
                            done
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| match h.join() {
                        Ok(done) => done,
                        // A panicking worker is a bug: surface it where it happened.
                        Err(panic) => std::panic::resume_unwind(panic),
                    })
                    .collect()
            });
            parts.sort_unstable_by_key(|(i, _)| *i);
            return parts.into_iter().map(|(_, r)| r).collect();
        }
    }
    items.iter().map(f).collect()
}

/// [`map`], with the items taken largest first by `weight` (results still in
/// the items' order): a large item started last would leave the other cores
/// idle while it finishes.
pub fn map_largest_first<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> u64,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(&items[i])));
    let mut done: Vec<(usize, R)> = map(&order, |&i| (i, f(&items[i])));
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_and_covers_every_item() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = super::map(&items, |x| x * x);
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |x| *x).is_empty());
    }

    #[test]
    fn largest_first_keeps_order() {
        let items: Vec<u64> = (0..500).map(|i| (i * 7919) % 1000).collect();
        let doubled = super::map_largest_first(&items, |x| *x, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
