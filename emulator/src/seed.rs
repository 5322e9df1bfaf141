//! The fixed seed data of the emulator (see "Emulator contract" in `docs/architecture.md`).
//!
//! Every value here is deterministic so tests in any language can hard-code them; `POST /_emulator/reset`
//! restores exactly this state.

use serde::Serialize;

use crate::state::{ApiKey, KeyScope, Org, Project, State, User};

/// The organization every seeded org key, project and membership belongs to.
pub const ORG_ID: &str = "org-acme-1234";
/// Display name of [`ORG_ID`].
pub const ORG_NAME: &str = "Acme";
/// The project the seeded project-scoped key is bound to (in [`ORG_ID`]).
pub const PROJECT_ID: &str = "proj-alpha-5678";
/// A second project of [`ORG_ID`], outside the seeded project key's scope.
pub const OTHER_PROJECT_ID: &str = "proj-beta-9012";
/// A project owned personally by the admin user (no organization).
pub const PERSONAL_PROJECT_ID: &str = "proj-solo-3456";

/// UUID of the seeded admin user (`Ada Admin`, admin of [`ORG_ID`]).
pub const ADMIN_USER_ID: &str = "11111111-1111-4111-8111-111111111111";
/// UUID of the seeded second admin (`Bo Admin`, also admin of [`ORG_ID`]): a colleague whose keys share the
/// organization's names.
pub const ADMIN2_USER_ID: &str = "33333333-3333-4333-8333-333333333333";
/// UUID of the seeded member user (`Max Member`, plain member of [`ORG_ID`]).
pub const MEMBER_USER_ID: &str = "22222222-2222-4222-8222-222222222222";

/// Id of the admin's personal key.
pub const ADMIN_KEY_ID: i64 = 1001;
/// Id of the member's personal key.
pub const MEMBER_KEY_ID: i64 = 1002;
/// Id of the admin's revoked personal key.
pub const REVOKED_KEY_ID: i64 = 1003;
/// Id of the second admin's personal key.
pub const ADMIN2_KEY_ID: i64 = 1004;
/// Id of the org-wide key of [`ORG_ID`].
pub const ORG_KEY_ID: i64 = 2001;
/// Id of the project-scoped key (org key of [`ORG_ID`] bound to [`PROJECT_ID`]).
pub const PROJECT_KEY_ID: i64 = 2002;

/// First id handed out to keys created after the seed (personal and org keys share one counter).
pub const FIRST_NEW_KEY_ID: i64 = 5000;

/// Creation time of every seeded key and project.
pub const SEED_CREATED_AT: &str = "2025-01-01T00:00:00Z";

/// The seed values, as printed by the binary and returned by `POST /_emulator/reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seed {
    /// The seeded organization (`org-acme-1234`).
    pub org_id: String,
    /// The project the project-scoped key is bound to (`proj-alpha-5678`).
    pub project_id: String,
    /// Another project of the same organization (`proj-beta-9012`).
    pub other_project_id: String,
    /// A project owned personally by the admin user (`proj-solo-3456`).
    pub personal_project_id: String,
    /// The secrets of the seeded keys.
    pub keys: SeedKeys,
    /// The ids of the seeded keys.
    pub ids: SeedIds,
    /// The UUIDs of the seeded users.
    pub users: SeedUsers,
}

/// Secrets of the seeded keys (each is 64 times one letter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedKeys {
    /// Admin's personal key: `"a" * 64`.
    pub admin: String,
    /// Member's personal key: `"m" * 64`.
    pub member: String,
    /// Org-wide key: `"o" * 64`.
    pub org: String,
    /// Project-scoped key: `"p" * 64`.
    pub project: String,
    /// Revoked personal key of the admin: `"r" * 64` (always answers 401).
    pub revoked: String,
    /// Personal key of the second admin of the organization: `"b" * 64`.
    pub admin2: String,
}

/// Ids of the seeded keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeedIds {
    /// 1001.
    pub admin: i64,
    /// 1002.
    pub member: i64,
    /// 2001.
    pub org: i64,
    /// 2002.
    pub project: i64,
    /// 1003.
    pub revoked: i64,
    /// 1004.
    pub admin2: i64,
}

/// UUIDs of the seeded users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedUsers {
    /// `11111111-1111-4111-8111-111111111111` (Ada Admin).
    pub admin: String,
    /// `22222222-2222-4222-8222-222222222222` (Max Member).
    pub member: String,
    /// `33333333-3333-4333-8333-333333333333` (Bo Admin, the second admin).
    pub admin2: String,
}

impl Seed {
    /// The fixed seed values.
    pub fn fixed() -> Self {
        Seed {
            org_id: ORG_ID.to_owned(),
            project_id: PROJECT_ID.to_owned(),
            other_project_id: OTHER_PROJECT_ID.to_owned(),
            personal_project_id: PERSONAL_PROJECT_ID.to_owned(),
            keys: SeedKeys {
                admin: "a".repeat(64),
                member: "m".repeat(64),
                org: "o".repeat(64),
                project: "p".repeat(64),
                revoked: "r".repeat(64),
                admin2: "b".repeat(64),
            },
            ids: SeedIds {
                admin: ADMIN_KEY_ID,
                member: MEMBER_KEY_ID,
                org: ORG_KEY_ID,
                project: PROJECT_KEY_ID,
                revoked: REVOKED_KEY_ID,
                admin2: ADMIN2_KEY_ID,
            },
            users: SeedUsers {
                admin: ADMIN_USER_ID.to_owned(),
                member: MEMBER_USER_ID.to_owned(),
                admin2: ADMIN2_USER_ID.to_owned(),
            },
        }
    }
}

impl Seed {
    /// Checks a (possibly overridden) seed: ids match `^[a-z0-9-]{1,60}$`, the four projects/org ids
    /// differ, and the five secrets are non-empty, free of whitespace and distinct.
    pub fn validate(&self) -> Result<(), String> {
        let ids = [
            ("org_id", &self.org_id),
            ("project_id", &self.project_id),
            ("other_project_id", &self.other_project_id),
            ("personal_project_id", &self.personal_project_id),
        ];
        for (name, v) in ids {
            let ok = (1..=60).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(format!("{name} {v:?} must match ^[a-z0-9-]{{1,60}}$"));
            }
        }
        let projects = [
            &self.project_id,
            &self.other_project_id,
            &self.personal_project_id,
        ];
        if projects[0] == projects[1] || projects[0] == projects[2] || projects[1] == projects[2] {
            return Err("the seeded project ids must differ".into());
        }
        let k = &self.keys;
        let secrets = [
            &k.admin, &k.member, &k.org, &k.project, &k.revoked, &k.admin2,
        ];
        for (i, s) in secrets.iter().enumerate() {
            if s.is_empty() || s.chars().any(char::is_whitespace) {
                return Err("a seeded API key is empty or holds whitespace".into());
            }
            if secrets[..i].contains(s) {
                return Err("the seeded API keys must differ".into());
            }
        }
        Ok(())
    }
}

impl Default for Seed {
    fn default() -> Self {
        Self::fixed()
    }
}

/// Builds the seeded data state (users, org, projects, keys); faults, log and limits live elsewhere.
pub(crate) fn seeded_state(seed: &Seed) -> State {
    let created = crate::state::parse_time(SEED_CREATED_AT);
    let users = vec![
        User {
            id: ADMIN_USER_ID.to_owned(),
            name: "Ada Admin".to_owned(),
            image: format!("https://avatars.neon-emulator.invalid/{ADMIN_USER_ID}.png"),
        },
        User {
            id: MEMBER_USER_ID.to_owned(),
            name: "Max Member".to_owned(),
            image: format!("https://avatars.neon-emulator.invalid/{MEMBER_USER_ID}.png"),
        },
        User {
            id: ADMIN2_USER_ID.to_owned(),
            name: "Bo Admin".to_owned(),
            image: format!("https://avatars.neon-emulator.invalid/{ADMIN2_USER_ID}.png"),
        },
    ];
    let orgs = vec![Org {
        id: seed.org_id.clone(),
        admins: vec![ADMIN_USER_ID.to_owned(), ADMIN2_USER_ID.to_owned()],
        members: vec![
            ADMIN_USER_ID.to_owned(),
            MEMBER_USER_ID.to_owned(),
            ADMIN2_USER_ID.to_owned(),
        ],
    }];
    let projects = vec![
        Project {
            id: seed.project_id.clone(),
            name: "alpha".to_owned(),
            org_id: Some(seed.org_id.clone()),
            owner_user_id: ADMIN_USER_ID.to_owned(),
            created_at: created,
        },
        Project {
            id: seed.other_project_id.clone(),
            name: "beta".to_owned(),
            org_id: Some(seed.org_id.clone()),
            owner_user_id: ADMIN_USER_ID.to_owned(),
            created_at: created,
        },
        Project {
            id: seed.personal_project_id.clone(),
            name: "solo".to_owned(),
            org_id: None,
            owner_user_id: ADMIN_USER_ID.to_owned(),
            created_at: created,
        },
    ];
    let key = |id: i64, name: &str, secret: &str, scope: KeyScope, revoked: bool| ApiKey {
        id,
        name: name.to_owned(),
        secret: secret.to_owned(),
        scope,
        created_at: created,
        created_by: ADMIN_USER_ID.to_owned(),
        last_used_at: None,
        last_used_from_addr: String::new(),
        revoked,
    };
    let personal = |user: &str| KeyScope::Personal {
        user_id: user.to_owned(),
    };
    let mut member_key = key(
        MEMBER_KEY_ID,
        "seed-member",
        &seed.keys.member,
        personal(MEMBER_USER_ID),
        false,
    );
    member_key.created_by = MEMBER_USER_ID.to_owned();
    let mut admin2_key = key(
        ADMIN2_KEY_ID,
        "seed-admin2",
        &seed.keys.admin2,
        personal(ADMIN2_USER_ID),
        false,
    );
    admin2_key.created_by = ADMIN2_USER_ID.to_owned();
    let keys = vec![
        key(
            ADMIN_KEY_ID,
            "seed-admin",
            &seed.keys.admin,
            personal(ADMIN_USER_ID),
            false,
        ),
        member_key,
        key(
            REVOKED_KEY_ID,
            "seed-revoked",
            &seed.keys.revoked,
            personal(ADMIN_USER_ID),
            true,
        ),
        admin2_key,
        key(
            ORG_KEY_ID,
            "seed-org",
            &seed.keys.org,
            KeyScope::Org {
                org_id: seed.org_id.clone(),
                project_id: None,
            },
            false,
        ),
        key(
            PROJECT_KEY_ID,
            "seed-project",
            &seed.keys.project,
            KeyScope::Org {
                org_id: seed.org_id.clone(),
                project_id: Some(seed.project_id.clone()),
            },
            false,
        ),
    ];
    State::new(users, orgs, projects, keys, FIRST_NEW_KEY_ID)
}
