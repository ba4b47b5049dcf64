//! Privileges: opt-in, since roles differ between environments.

use serde::{Deserialize, Serialize};

use crate::is_false;

/// One privilege granted to one grantee.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Role name (`PUBLIC` for everyone).
    pub grantee: String,
    /// Privilege (`SELECT`, `USAGE`, ...).
    pub privilege: String,
    /// Column-level grant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// WITH GRANT OPTION.
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_grant_option: bool,
}
