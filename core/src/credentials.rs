//! Which API key a call uses: explicit keys first, then the environment (read once, at `build()`).

use crate::secret::ApiKeySecret;
use crate::{ClientBuilder, Error, ErrorKind, Result};

/// Env var of a personal API key.
pub(crate) const ENV_API_KEY: &str = "NEON_API_KEY";
/// Env var of an organization API key.
pub(crate) const ENV_ORG_API_KEY: &str = "NEON_ORG_API_KEY";
/// Env var of a project-scoped API key.
pub(crate) const ENV_PROJECT_API_KEY: &str = "NEON_PROJECT_API_KEY";
/// Env var overriding the base URL (includes `/api/v2`).
pub(crate) const ENV_API_HOST: &str = "NEON_API_HOST";

/// The keys a client may use, resolved once at `build()`. A slot changes only when the client rotates the very
/// key it uses (a keychain entry's key): [`Credentials::replace`].
#[derive(Default)]
pub(crate) struct Credentials {
    personal: Slot,
    org: Slot,
    project: Option<ApiKeySecret>,
    /// The keychain entry named by the builder, for the message of a missing key.
    keychain: Option<String>,
}

/// One configured key; cloning an `ApiKeySecret` shares it (no copy of the secret).
#[derive(Default)]
struct Slot(std::sync::RwLock<Option<ApiKeySecret>>);

impl Slot {
    fn new(key: Option<ApiKeySecret>) -> Slot {
        Slot(std::sync::RwLock::new(key))
    }

    fn get(&self) -> Option<ApiKeySecret> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn is_some(&self) -> bool {
        self.get().is_some()
    }

    /// Puts `new` in place of `old`; whether the slot held `old`.
    fn replace(&self, old: &ApiKeySecret, new: &ApiKeySecret) -> bool {
        let mut guard = match self.0.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if guard.as_ref() == Some(old) {
            *guard = Some(new.clone());
            true
        } else {
            false
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("personal", &self.personal.is_some())
            .field("org", &self.org.is_some())
            .field("project", &self.project.is_some())
            .finish()
    }
}

/// Reads an env var, treating an empty or non-UTF-8 value as unset.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Credentials {
    /// Explicit keys from the builder win; the environment fills the gaps when it is read; a keychain entry
    /// named by the builder fills what is still empty.
    pub(crate) fn resolve(builder: &ClientBuilder) -> Result<Credentials> {
        let mut credentials = Self::resolve_with(builder, env_value);
        if let Some((service, account)) = &builder.keychain {
            let entry = crate::Keychain::new(service.clone(), account.clone())?;
            credentials.keychain = Some(format!("{service:?}/{account:?}"));
            if let Some(stored) = entry.load()? {
                let slot = match stored.org_id {
                    Some(_) => &credentials.org,
                    None => &credentials.personal,
                };
                if !slot.is_some() && !stored.key.is_empty() {
                    *slot
                        .0
                        .write()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(stored.key);
                }
            }
        }
        Ok(credentials)
    }

    /// Like [`Credentials::resolve`] with an injectable environment (for tests).
    pub(crate) fn resolve_with(
        builder: &ClientBuilder,
        env: impl Fn(&str) -> Option<String>,
    ) -> Credentials {
        let read_env = builder.reads_env();
        let from_env = |name: &str| {
            if read_env {
                env(name).map(ApiKeySecret::new)
            } else {
                None
            }
        };
        let personal = builder
            .api_key
            .clone()
            .or_else(|| from_env(ENV_API_KEY))
            .filter(|k| !k.is_empty());
        let org = builder
            .org_api_key
            .clone()
            .or_else(|| from_env(ENV_ORG_API_KEY))
            .filter(|k| !k.is_empty());
        let project = from_env(ENV_PROJECT_API_KEY).filter(|k| !k.is_empty());
        Credentials {
            personal: Slot::new(personal),
            org: Slot::new(org),
            project,
            keychain: None,
        }
    }

    /// Uses `new` wherever the client used `old` (after a rotation of the client's own key); whether it did.
    pub(crate) fn replace(&self, old: &ApiKeySecret, new: &ApiKeySecret) -> bool {
        let personal = self.personal.replace(old, new);
        let org = self.org.replace(old, new);
        personal || org
    }

    /// The key for personal key management (`/api_keys`).
    pub(crate) fn personal(&self) -> Result<ApiKeySecret> {
        if let Some(key) = self.personal.get() {
            return Ok(key);
        }
        if self.org.is_some() {
            return Err(Error::new(
                ErrorKind::Config,
                "personal API keys can only be managed with a personal API key: set NEON_API_KEY or pass a \
                 personal key to the client (only an organization key was found, which Neon rejects here)",
            ));
        }
        Err(self.missing())
    }

    /// The key for organization key management: the org key, else the personal key.
    pub(crate) fn org(&self) -> Result<ApiKeySecret> {
        self.org
            .get()
            .or_else(|| self.personal.get())
            .ok_or_else(|| self.missing())
    }

    /// The key that creates organization keys: the personal key first (Neon lets only a personal key of an
    /// organization admin create keys; an organization or project-scoped key gets 403), else the org key.
    /// The flag says whether the key is the organization slot's, for the error that explains a 403.
    pub(crate) fn org_minting(&self) -> Result<(ApiKeySecret, bool)> {
        if let Some(key) = self.personal.get() {
            return Ok((key, false));
        }
        self.org
            .get()
            .map(|key| (key, true))
            .ok_or_else(|| self.missing())
    }

    /// The key for read-only calls (`GET /auth`, `GET /projects/{id}`): any key, project-scoped included.
    pub(crate) fn any(&self) -> Result<ApiKeySecret> {
        self.personal
            .get()
            .or_else(|| self.org.get())
            .or_else(|| self.project.clone())
            .ok_or_else(|| self.missing())
    }

    fn missing(&self) -> Error {
        if let Some(entry) = &self.keychain {
            return Error::new(
                ErrorKind::Config,
                format!(
                    "no API key configured: the keychain entry {entry} holds no key, and none was passed or found \
                     in NEON_API_KEY / NEON_ORG_API_KEY"
                ),
            );
        }
        if self.project.is_some() {
            return Error::new(
                ErrorKind::Config,
                "only a project-scoped key (NEON_PROJECT_API_KEY) is configured, and a project-scoped key cannot \
                 manage API keys: set NEON_API_KEY (personal key) or NEON_ORG_API_KEY (organization key)",
            );
        }
        Error::new(
            ErrorKind::Config,
            "no API key configured: pass a personal or organization API key to the client, or set \
             NEON_API_KEY (personal key) or NEON_ORG_API_KEY (organization key) and let the client read the \
             environment",
        )
    }
}

/// The base URL: explicit wins, then `NEON_API_HOST` (with `from_env()`), then Neon's default.
pub(crate) fn base_url(builder: &ClientBuilder) -> String {
    base_url_with(builder, env_value)
}

/// Like [`base_url`] with an injectable environment (for tests).
pub(crate) fn base_url_with(
    builder: &ClientBuilder,
    env: impl Fn(&str) -> Option<String>,
) -> String {
    builder
        .base_url
        .clone()
        .or_else(|| {
            if builder.reads_env() {
                env(ENV_API_HOST)
            } else {
                None
            }
        })
        .unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn explicit_key_wins_over_env() {
        let b = ClientBuilder::new()
            .from_env()
            .api_key("explicit-key-000000");
        let c = Credentials::resolve_with(&b, env_of(&[(ENV_API_KEY, "env-key-11111111")]));
        assert_eq!(c.personal().unwrap().expose_secret(), "explicit-key-000000");
    }

    #[test]
    fn env_is_ignored_without_from_env() {
        let b = ClientBuilder::new();
        let c = Credentials::resolve_with(&b, env_of(&[(ENV_API_KEY, "env-key-11111111")]));
        assert_eq!(c.personal().unwrap_err().kind(), ErrorKind::Config);
    }

    #[test]
    fn env_when_no_api_key_reads_the_environment_only_without_a_key() {
        let env = env_of(&[
            (ENV_API_KEY, "env-key-11111111"),
            (ENV_ORG_API_KEY, "env-org-22222222"),
            (ENV_API_HOST, "http://127.0.0.1:9/api/v2"),
        ]);
        let without = ClientBuilder::new().env_when_no_api_key();
        let c = Credentials::resolve_with(&without, &env);
        assert_eq!(c.personal().unwrap().expose_secret(), "env-key-11111111");
        assert_eq!(base_url_with(&without, &env), "http://127.0.0.1:9/api/v2");
        let with = ClientBuilder::new()
            .env_when_no_api_key()
            .api_key("explicit-key-000000");
        let c = Credentials::resolve_with(&with, &env);
        assert_eq!(c.personal().unwrap().expose_secret(), "explicit-key-000000");
        assert_eq!(
            c.org().unwrap().expose_secret(),
            "explicit-key-000000",
            "no org key from the environment"
        );
        assert_eq!(base_url_with(&with, &env), crate::DEFAULT_BASE_URL);
    }

    #[test]
    fn org_ops_prefer_org_key_then_personal() {
        let b = ClientBuilder::new().from_env();
        let c = Credentials::resolve_with(
            &b,
            env_of(&[
                (ENV_API_KEY, "personal-key-1111"),
                (ENV_ORG_API_KEY, "org-key-22222222"),
            ]),
        );
        assert_eq!(c.org().unwrap().expose_secret(), "org-key-22222222");
        assert_eq!(c.personal().unwrap().expose_secret(), "personal-key-1111");
        let c = Credentials::resolve_with(&b, env_of(&[(ENV_API_KEY, "personal-key-1111")]));
        assert_eq!(c.org().unwrap().expose_secret(), "personal-key-1111");
    }

    #[test]
    fn org_keys_are_minted_with_the_personal_key_first() {
        let b = ClientBuilder::new().from_env();
        let both = Credentials::resolve_with(
            &b,
            env_of(&[
                (ENV_API_KEY, "personal-key-1111"),
                (ENV_ORG_API_KEY, "org-key-22222222"),
            ]),
        );
        let (key, org_slot) = both.org_minting().unwrap();
        assert_eq!(
            (key.expose_secret(), org_slot),
            ("personal-key-1111", false)
        );
        let org_only =
            Credentials::resolve_with(&b, env_of(&[(ENV_ORG_API_KEY, "org-key-22222222")]));
        let (key, org_slot) = org_only.org_minting().unwrap();
        assert_eq!((key.expose_secret(), org_slot), ("org-key-22222222", true));
    }

    #[test]
    fn project_key_alone_cannot_manage_keys() {
        let b = ClientBuilder::new().from_env();
        let c = Credentials::resolve_with(&b, env_of(&[(ENV_PROJECT_API_KEY, "project-key-3333")]));
        let err = c.org().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.message().contains("project-scoped"));
        assert!(c.personal().is_err());
        assert_eq!(c.any().unwrap().expose_secret(), "project-key-3333");
    }

    #[test]
    fn missing_key_names_the_variables() {
        let c = Credentials::resolve_with(&ClientBuilder::new().from_env(), env_of(&[]));
        let err = c.any().unwrap_err();
        assert!(err.message().contains("NEON_API_KEY"));
        assert!(err.message().contains("NEON_ORG_API_KEY"));
    }

    #[test]
    fn base_url_precedence() {
        let env = env_of(&[(ENV_API_HOST, "http://127.0.0.1:9/api/v2")]);
        assert_eq!(
            base_url_with(&ClientBuilder::new().from_env(), &env),
            "http://127.0.0.1:9/api/v2"
        );
        assert_eq!(
            base_url_with(
                &ClientBuilder::new()
                    .from_env()
                    .base_url("https://x.test/api/v2"),
                &env
            ),
            "https://x.test/api/v2"
        );
        assert_eq!(
            base_url_with(&ClientBuilder::new(), &env),
            crate::DEFAULT_BASE_URL
        );
    }
}
