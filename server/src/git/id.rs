//! `ObjectId`: a commit or blob id as callers see it, without git2 in their
//! signatures. Shown and parsed as 40 hex digits; serialised as that string.

use std::fmt;
use std::str::FromStr;

use super::GitError;

/// The id of a Git object (commit, tree or blob).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(git2::Oid);

impl ObjectId {
    pub(super) fn oid(self) -> git2::Oid {
        self.0
    }
}

impl From<git2::Oid> for ObjectId {
    fn from(oid: git2::Oid) -> Self {
        ObjectId(oid)
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({})", self.0)
    }
}

impl FromStr for ObjectId {
    type Err = GitError;

    fn from_str(text: &str) -> Result<Self, GitError> {
        let full = text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit());
        match git2::Oid::from_str(text) {
            Ok(oid) if full => Ok(ObjectId(oid)),
            _ => Err(GitError::InvalidObjectId {
                text: text.chars().take(64).collect(),
            }),
        }
    }
}

impl serde::Serialize for ObjectId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ObjectId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_full_hex_ids() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let id: ObjectId = hex.parse().expect("parse");
        assert_eq!(id.to_string(), hex);
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            format!("\"{hex}\"")
        );
        for bad in ["", "0123", "main", &hex.replace('0', "g")] {
            assert!(bad.parse::<ObjectId>().is_err(), "{bad}");
        }
    }
}
