//! Checks every created key before handing it out: a non-empty secret and exactly the scope asked for.
//! A key that fails is revoked at once, so no wrongly scoped live key is left behind silently.

use crate::execute::{CallContext, CreateTarget};
use crate::{Client, CreatedApiKey, Error, ErrorKind, Result, Verification};

/// What is wrong with a created key, if anything. `max_key_id` is the largest id the caller can hold.
pub(crate) fn problem(
    target: &CreateTarget,
    created: &CreatedApiKey,
    max_key_id: i64,
) -> Option<String> {
    if created.id.unsigned_abs() > max_key_id.unsigned_abs() {
        return Some(format!(
            "its id {} is larger than this client can represent exactly ({max_key_id})",
            created.id
        ));
    }
    if created.key.is_empty() {
        return Some("the secret came back empty".to_string());
    }
    if created.project_id != target.project_id {
        return Some(match (&target.project_id, &created.project_id) {
            (Some(asked), Some(got)) => {
                format!("it came back scoped to project {got} instead of {asked}")
            }
            (Some(asked), None) => {
                format!(
                    "it came back without a project scope instead of limited to project {asked}"
                )
            }
            (None, Some(got)) => {
                format!("it came back scoped to project {got}, which was not asked for")
            }
            (None, None) => "its scope differs from the one asked for".to_string(),
        });
    }
    None
}

/// Returns the key if it is as asked; else revokes it and fails with `VerificationFailed`.
pub(crate) async fn verify(
    client: &Client,
    target: &CreateTarget,
    created: CreatedApiKey,
) -> Result<CreatedApiKey> {
    let Some(problem) = problem(target, &created, client.inner.builder.max_key_id) else {
        return Ok(created);
    };
    let key_id = created.id;
    tracing::warn!(key_id, "created key failed verification; revoking it");
    // The caller may have given up already: the cleanup gets its own deadline and no cancellation.
    let ctx = CallContext::cleanup(client, "verify_revoke");
    let revoke = match &target.org_id {
        None => crate::ops::personal::revoke(client, &ctx, key_id).await,
        Some(org_id) => crate::ops::org::revoke(client, &ctx, org_id, key_id).await,
    };
    drop(created);
    let (revoked, outcome) = match revoke {
        Ok(_) => (true, "it was revoked".to_string()),
        // No live key has that id: nothing is left behind.
        Err(e) if e.kind() == ErrorKind::NotFound => (true, "no live key has that id".to_string()),
        Err(e) => (
            false,
            format!(
                "revoking it failed ({}): a live key remains with id {key_id}; revoke it by id",
                e.message()
            ),
        ),
    };
    Err(Error::new(
        ErrorKind::VerificationFailed,
        format!("the created key {key_id} failed verification: {problem}; {outcome}"),
    )
    .with_verification(Verification { key_id, revoked }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiKeySecret;

    fn created(secret: &str, project: Option<&str>) -> CreatedApiKey {
        let mut key = CreatedApiKey::new(1, ApiKeySecret::new(secret), "n");
        key.project_id = project.map(str::to_string);
        key
    }

    fn target(org: Option<&str>, project: Option<&str>) -> CreateTarget {
        CreateTarget {
            key_name: "n".to_string(),
            org_id: org.map(str::to_string),
            project_id: project.map(str::to_string),
        }
    }

    fn problem_of(target: &CreateTarget, created: &CreatedApiKey) -> Option<String> {
        problem(target, created, i64::MAX)
    }

    #[test]
    fn scope_and_secret_checks() {
        assert!(problem_of(&target(None, None), &created("s", None)).is_none());
        assert!(problem_of(&target(None, None), &created("", None)).is_some());
        assert!(problem_of(&target(None, None), &created("s", Some("p"))).is_some());
        assert!(problem_of(&target(Some("o"), Some("p")), &created("s", Some("p"))).is_none());
        assert!(problem_of(&target(Some("o"), Some("p")), &created("s", Some("q"))).is_some());
        assert!(problem_of(&target(Some("o"), Some("p")), &created("s", None)).is_some());
        assert!(problem_of(&target(Some("o"), None), &created("s", Some("p"))).is_some());
    }

    #[test]
    fn an_id_past_the_callers_limit_fails_verification() {
        let mut big = created("s", None);
        big.id = (1 << 53) + 1;
        let t = target(None, None);
        assert!(problem(&t, &big, (1 << 53) - 1).is_some_and(|p| p.contains("9007199254740993")));
        assert!(problem(&t, &big, i64::MAX).is_none());
    }
}
