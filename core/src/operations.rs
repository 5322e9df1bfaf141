//! The public operations, declared once. Every binding exposes each of them (in its own naming convention),
//! and the conformance suite's schema and runners follow this list; each language has a test that fails when
//! one is missing. `CONTRIBUTING.md` lists what else an added operation needs.

/// One operation of the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The snake_case name: the Rust and Python method, the conformance suite's `operation`. Node and Swift
    /// use its lowerCamelCase form ([`Operation::camel_name`]).
    pub name: &'static str,
    /// The arguments in order, by their snake_case names; a trailing `?` marks an optional one.
    pub args: &'static [&'static str],
    /// What it does, in one line.
    pub summary: &'static str,
}

impl Operation {
    /// The lowerCamelCase form of [`Operation::name`] (`list_api_keys` → `listApiKeys`).
    pub fn camel_name(&self) -> String {
        let mut out = String::with_capacity(self.name.len());
        let mut upper = false;
        for c in self.name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }
}

const fn op(name: &'static str, args: &'static [&'static str], summary: &'static str) -> Operation {
    Operation {
        name,
        args,
        summary,
    }
}

/// Every public operation of [`crate::Client`], in the order of the README's table.
pub const OPERATIONS: [Operation; 14] = [
    op("list_api_keys", &[], "Lists the personal API keys of the key's user."),
    op("create_api_key", &["key_name"], "Creates a personal API key; the secret is returned once."),
    op("revoke_api_key", &["key_id"], "Revokes a personal API key."),
    op("list_org_api_keys", &["org_id"], "Lists an organization's API keys."),
    op(
        "create_org_api_key",
        &["org_id", "key_name", "project_id?"],
        "Creates an organization API key, project-scoped with a project id.",
    ),
    op("revoke_org_api_key", &["org_id", "key_id"], "Revokes an organization API key."),
    op(
        "create_project_api_key",
        &["project_id", "key_name"],
        "Creates a key limited to a project (an org key with the project's id).",
    ),
    op("auth_details", &[], "Which kind of key is in use (GET /auth)."),
    op("get_project", &["project_id"], "Reads a project, for its organization."),
    op(
        "rotate_api_key",
        &["old_id", "store", "new_name?", "wait_for_use?"],
        "Rotates a personal key in two phases: the old key is revoked only after the store has the new one.",
    ),
    op(
        "rotate_org_api_key",
        &["org_id", "old_id", "store", "new_name?", "wait_for_use?"],
        "Rotates an organization key in two phases, keeping its project scope.",
    ),
    op(
        "rotate_keychain_key",
        &["keychain", "new_name?", "wait_for_use?"],
        "Rotates, in place, the key a keychain entry holds: the entry gets the new key before the old one goes.",
    ),
    op("unused_api_keys", &["since?"], "Personal keys not in use."),
    op("unused_org_api_keys", &["org_id", "since?"], "Organization keys not in use."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_camel_case_follows() {
        let mut names: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        assert!(OPERATIONS
            .iter()
            .all(|o| o.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        assert_eq!(OPERATIONS[0].camel_name(), "listApiKeys");
        assert_eq!(OPERATIONS[13].camel_name(), "unusedOrgApiKeys");
    }
}
