//! The History tab's door: a dashboard file's git log, the dashboard JSON of
//! any version of it, and a version restored as the user's draft.

use dashstudio_app::server_fns::editor::{DraftState, FileVersion, HistoryEntry};
use dashstudio_core::edit::{self, EditError};
use serde_json::Value;

use super::draft_state;
use crate::error::ApiError;
use crate::git::ObjectId;
use crate::service::drafts::{self, SaveDraft};
use crate::service::writer;

/// How many commits the History tab lists.
const LOG_LIMIT: usize = 100;

impl super::Acting {
    /// The file and YAML document of `namespace/name` as the repository has it now.
    fn located(&self, namespace: &str, name: &str) -> Result<(String, usize), ApiError> {
        let snapshot = self.snapshot();
        let d = snapshot.index.dashboard(namespace, name).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no GrafanaDashboard {namespace}/{name} in the repository"
            ))
        })?;
        Ok((d.file.clone(), d.document))
    }

    pub(super) async fn file_history(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Vec<HistoryEntry>, ApiError> {
        let (file, _) = self.located(namespace, name)?;
        let commits = writer(self)?
            .with_git(move |g| g.log(&file, LOG_LIMIT))
            .await??;
        Ok(commits
            .into_iter()
            .map(|c| HistoryEntry {
                commit: c.id.to_string(),
                author: c.author,
                date: utc_minutes(c.time),
                summary: c.summary,
            })
            .collect())
    }

    pub(super) async fn file_version(
        &self,
        namespace: &str,
        name: &str,
        commit: &str,
    ) -> Result<FileVersion, ApiError> {
        let (file, document) = self.located(namespace, name)?;
        let id: ObjectId = commit
            .parse()
            .map_err(|_| ApiError::BadRequest(format!("{commit:?} is not a commit id")))?;
        let path = file.clone();
        let bytes = writer(self)?
            .with_git(move |g| g.file_at(id, &path))
            .await??
            .ok_or_else(|| ApiError::NotFound(format!("{file} did not exist at {commit}")))?;
        let text = String::from_utf8(bytes).map_err(|_| ApiError::Unprocessable {
            message: format!("{file} at {commit} is not UTF-8 text"),
            details: Value::Array(Vec::new()),
        })?;
        let (json, error) =
            dashboard_text(&text, document).map_err(|e| ApiError::Unprocessable {
                message: format!("{file} at {commit}: {e}"),
                details: Value::Array(Vec::new()),
            })?;
        Ok(FileVersion {
            commit: id.to_string(),
            file,
            json,
            error,
        })
    }

    pub(super) async fn restore_version(
        &self,
        namespace: &str,
        name: &str,
        commit: &str,
    ) -> Result<DraftState, ApiError> {
        let version = self.file_version(namespace, name, commit).await?;
        if let Some(e) = version.error {
            return Err(ApiError::Unprocessable {
                message: format!("the version {commit} cannot be restored: {e}"),
                details: Value::Array(Vec::new()),
            });
        }
        let saved = drafts::save(
            self,
            &self.actor,
            namespace,
            name,
            SaveDraft {
                dashboard_text: Some(version.json),
                ..SaveDraft::default()
            },
        )
        .await?;
        Ok(draft_state(saved))
    }
}

/// The dashboard JSON text of YAML document `document` as stored (decoded
/// for `gzipJson`), and why it does not parse if it does not.
fn dashboard_text(text: &str, document: usize) -> Result<(String, Option<String>), EditError> {
    match edit::open_dashboard(text, document) {
        Ok((source, _)) => Ok((source.json_text, None)),
        Err(e @ EditError::Json { .. }) => {
            let docs = dashstudio_core::yaml::load_documents(text)?;
            let spec = docs.get(document).and_then(|d| d.value.get("spec"));
            let json = match spec.and_then(|s| s.get("json")).and_then(Value::as_str) {
                Some(json) => json.to_owned(),
                None => {
                    let b64 = spec
                        .and_then(|s| s.get("gzipJson"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    edit::yaml::decode_gzip_json(b64)?
                }
            };
            Ok((json, Some(e.to_string())))
        }
        Err(e) => Err(e),
    }
}

/// Seconds since the Unix epoch as a UTC date and time to the minute.
fn utc_minutes(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let minutes = seconds.rem_euclid(86_400) / 60;
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

/// The proleptic Gregorian date of a day counted from 1970-01-01.
fn civil_date(days: i64) -> (i64, u32, u32) {
    // Count from 0000-03-01 so that the leap day ends each 400-year era's year.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_utc() {
        for (seconds, date) in [
            (0, "1970-01-01 00:00"),
            (951_782_400, "2000-02-29 00:00"),
            (1_700_000_000, "2023-11-14 22:13"),
            (4_107_542_400, "2100-03-01 00:00"),
            (-60, "1969-12-31 23:59"),
        ] {
            assert_eq!(utc_minutes(seconds), date, "{seconds}");
        }
    }

    #[test]
    fn broken_json_versions_are_shown_as_stored() {
        let text = "spec:\n  json: |\n    {\"a\": [1,]}\n";
        let (json, error) = dashboard_text(text, 0).expect("read");
        assert_eq!(json, "{\"a\": [1,]}\n");
        assert!(error.is_some());
        let (json, error) = dashboard_text("spec:\n  json: '{}'\n", 0).expect("read");
        assert_eq!((json.as_str(), error), ("{}", None));
    }
}
