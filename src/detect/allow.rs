//! `--allow FILE`: values that are not personal data here (the organisation's
//! own address, switchboard, generic mailboxes). One a line, `kind: value` or
//! a bare value; `#` starts a comment. Compared after normalisation, so
//! `01 23 45 67 89` allows `+33123456789`.

use super::Engine;
use crate::model::fold::fold;
use std::collections::HashSet;

/// The allowed values.
#[derive(Debug, Default, Clone)]
pub struct AllowList {
    /// (kind, normalised value); kind `*` for bare entries.
    entries: HashSet<(String, String)>,
}

impl AllowList {
    /// Parses an allow file's text, normalising each value with the
    /// normalisers of its kind's patterns (every kind's, for a bare value).
    pub fn parse(text: &str, engine: &Engine) -> Self {
        let kinds = engine.kinds();
        let mut entries = HashSet::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (kind, value) = match line.split_once(':') {
                Some((k, v)) if kinds.contains(&k.trim()) => (Some(k.trim()), v.trim()),
                _ => (None, line),
            };
            for p in engine.patterns() {
                if kind.is_some_and(|k| k != p.kind) {
                    continue;
                }
                if let Some(v) = p.normalise(value) {
                    entries.insert((kind.unwrap_or("*").to_string(), v));
                }
            }
            entries.insert((kind.unwrap_or("*").to_string(), fold(value)));
        }
        AllowList { entries }
    }

    /// True when `value` (normalised) of `kind` is allowed.
    pub fn allows(&self, kind: &str, value: &str) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let hit = |v: &str| {
            self.entries.contains(&(kind.to_string(), v.to_string()))
                || self.entries.contains(&("*".to_string(), v.to_string()))
        };
        hit(value) || hit(&fold(value))
    }

    /// Number of entries (after normalisation).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
