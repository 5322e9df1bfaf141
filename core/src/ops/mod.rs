//! The operations behind [`crate::Client`]'s methods, one file per area.

pub(crate) mod audit;
pub(crate) mod create;
pub(crate) mod org;
pub(crate) mod personal;
pub(crate) mod project;
pub(crate) mod rotate;

/// Fails a list holding a key id past [`crate::ClientBuilder::max_key_id`] (a decode error naming the id), so
/// that no caller is handed an id it would round.
pub(crate) fn within_id_limit(
    client: &crate::Client,
    keys: Vec<crate::ApiKey>,
) -> crate::Result<Vec<crate::ApiKey>> {
    let max = client.inner.builder.max_key_id;
    match keys
        .iter()
        .find(|k| k.id.unsigned_abs() > max.unsigned_abs())
    {
        None => Ok(keys),
        Some(key) => Err(crate::Error::new(
            crate::ErrorKind::Decode,
            format!(
                "the list holds key id {}, larger than this client can represent exactly ({max})",
                key.id
            ),
        )),
    }
}

/// Path templates (throttle keys and log fields).
pub(crate) mod routes {
    /// Personal keys.
    pub(crate) const API_KEYS: &str = "/api_keys";
    /// One personal key.
    pub(crate) const API_KEY: &str = "/api_keys/{key_id}";
    /// An organization's keys.
    pub(crate) const ORG_API_KEYS: &str = "/organizations/{org_id}/api_keys";
    /// One organization key.
    pub(crate) const ORG_API_KEY: &str = "/organizations/{org_id}/api_keys/{key_id}";
    /// The caller's identity.
    pub(crate) const AUTH: &str = "/auth";
    /// One project.
    pub(crate) const PROJECT: &str = "/projects/{project_id}";
}
