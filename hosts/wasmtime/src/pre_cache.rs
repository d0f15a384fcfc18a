//! Pre-linked components (`ProxyPre`) by cache key: linking a component against the host's
//! imports is done once per component, as a running platform does, not once per tenant. The key
//! (see engine.rs) names the component's bytes and the engine, so a changed file gets a new entry.

use std::collections::HashMap;
use std::sync::Mutex;
use wasmtime::component::{Component, Linker};
use wasmtime_wasi_http::p2::bindings::ProxyPre;

use crate::host::Host;

#[derive(Default)]
pub struct PreCache {
    by_key: Mutex<HashMap<String, ProxyPre<Host>>>,
}

impl PreCache {
    /// The cached `ProxyPre` for `key` (None: linked now, Some: from the cache); Err: not a proxy component.
    pub fn get_or_link(
        &self,
        key: &str,
        linker: &Linker<Host>,
        component: &Component,
    ) -> wasmtime::Result<(ProxyPre<Host>, bool)> {
        if let Some(pre) = self.by_key.lock().unwrap().get(key) {
            return Ok((pre.clone(), true));
        }
        // Two adds of a new component may both link it: harmless, the second insert wins.
        let pre = ProxyPre::new(linker.instantiate_pre(component)?)?;
        self.by_key.lock().unwrap().insert(key.to_string(), pre.clone());
        Ok((pre, false))
    }
}
