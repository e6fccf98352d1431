//! The version token a client gets with a dashboard and sends back with its
//! draft: which commit it saw, and the Git blob id of the file then. Opaque
//! to clients; here it is `<commit>:<blob>`.

/// A parsed version token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub commit: String,
    pub blob: String,
}

impl Version {
    pub fn token(&self) -> String {
        format!("{}:{}", self.commit, self.blob)
    }

    /// Parses a token; the message says what is wrong with it.
    pub fn parse(token: &str) -> Result<Version, String> {
        let hex = |s: &str| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
        match token.split_once(':') {
            Some((commit, blob)) if hex(commit) && hex(blob) => Ok(Version {
                commit: commit.to_ascii_lowercase(),
                blob: blob.to_ascii_lowercase(),
            }),
            _ => Err(format!(
                "base_version {token:?} is not a version this server gave out; \
                 use the `version` of GET /api/v1/dashboards/{{namespace}}/{{name}}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_bad_ones_are_named() {
        let v = Version {
            commit: "a".repeat(40),
            blob: "b".repeat(40),
        };
        assert_eq!(Version::parse(&v.token()), Ok(v));
        for bad in ["", "abc", &format!("{}:", "a".repeat(40)), &"a".repeat(81)] {
            let e = Version::parse(bad).expect_err(bad);
            assert!(e.contains("base_version"), "{e}");
        }
    }
}
