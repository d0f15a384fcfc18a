//! What a tenant's guest is given beyond the locked-down default, from its add-tenant request:
//! the URL prefixes it may call (grants.rs) and environment variables (how a front learns the
//! addresses of the stages it calls). The default is nothing: no outgoing HTTP, no environment.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::grants::Grants;

const MAX_ENV_BYTES: usize = 16 << 10;

#[derive(Clone, Debug, Default)]
pub struct Access {
    pub grants: Arc<Grants>,
    pub env: Arc<Vec<(String, String)>>,
}

impl Access {
    /// Checks and parses the request's `outgoing` and `env`; the error names the field.
    pub fn parse(outgoing: &[String], env: &BTreeMap<String, String>) -> Result<Access, String> {
        let grants = Grants::parse(outgoing)?;
        let mut size = 0;
        for (name, value) in env {
            if name.is_empty() || name.contains(['=', '\0']) || value.contains('\0') {
                return Err(format!(
                    "env: {name:?}: names must be non-empty without = or NUL, values without NUL"
                ));
            }
            size += name.len() + value.len();
        }
        if size > MAX_ENV_BYTES {
            return Err(format!("env: over {MAX_ENV_BYTES} bytes"));
        }
        Ok(Access {
            grants: Arc::new(grants),
            env: Arc::new(env.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_are_checked() {
        let env = |k: &str| BTreeMap::from([(k.to_string(), "v".to_string())]);
        assert!(Access::parse(&[], &env("PIPELINE_CHECK_URL")).is_ok());
        assert!(Access::parse(&[], &env("A=B")).unwrap_err().starts_with("env: "));
        assert!(Access::parse(&[], &env("")).is_err());
    }

    #[test]
    fn the_default_grants_nothing() {
        let access = Access::default();
        assert!(access.grants.is_empty());
        assert!(access.env.is_empty());
    }
}
