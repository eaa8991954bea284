//! Retention rules: how long files holding personal data may be kept
//! after their last change, per path, with the purpose each rule serves
//! (`Candidatures/** = 2y` for "recrutement").

use globset::{Glob, GlobMatcher};

/// A duration such as `2y`, `18m`, `6w` or `90d`, in days.
pub fn parse_duration(s: &str) -> Option<u32> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: f64 = s[..s.len() - unit.len_utf8()].trim().parse().ok()?;
    let days = match unit.to_ascii_lowercase() {
        'y' | 'a' => 365.25,
        'm' => 30.44,
        'w' => 7.0,
        'd' | 'j' => 1.0,
        _ => return None,
    };
    (n >= 0.0).then(|| (n * days).round() as u32)
}

/// One rule: files matching `glob` (below a scanned root, or absolute when
/// it starts with `/`) are kept `keep_days` after their last change.
#[derive(Debug, Clone)]
pub struct Rule {
    pub glob: String,
    matcher: GlobMatcher,
    pub keep: String,
    pub keep_days: u32,
    pub purpose: Option<String>,
}

/// A retention rule that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("retention rule '{glob}': {message}")]
    Glob { glob: String, message: String },
    #[error("retention rule '{glob}': '{keep}' is not a duration (e.g. 2y, 18m, 90d)")]
    Duration { glob: String, keep: String },
}

impl Rule {
    /// A rule from its parts; the error says which part is wrong.
    pub fn new(glob: &str, keep: &str, purpose: Option<String>) -> Result<Rule, RuleError> {
        let matcher = Glob::new(glob)
            .map_err(|e| RuleError::Glob {
                glob: glob.to_string(),
                message: e.to_string(),
            })?
            .compile_matcher();
        let keep_days = parse_duration(keep).ok_or_else(|| RuleError::Duration {
            glob: glob.to_string(),
            keep: keep.to_string(),
        })?;
        Ok(Rule {
            glob: glob.to_string(),
            matcher,
            keep: keep.to_string(),
            keep_days,
            purpose,
        })
    }

    fn matches(&self, relative: &str, absolute: &str) -> bool {
        if self.glob.starts_with('/') {
            self.matcher.is_match(absolute)
        } else {
            self.matcher.is_match(relative)
        }
    }
}

/// Rules in order: the first that matches a file applies.
#[derive(Debug, Clone, Default)]
pub struct Rules(pub Vec<Rule>);

impl Rules {
    /// The rule for a file at `absolute`, found under `root`.
    pub fn for_path(&self, root: &str, absolute: &str) -> Option<&Rule> {
        let relative = absolute
            .strip_prefix(root)
            .map_or(absolute, |r| r.trim_start_matches('/'));
        self.0.iter().find(|r| r.matches(relative, absolute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2y"), Some(731));
        assert_eq!(parse_duration("18m"), Some(548));
        assert_eq!(parse_duration("90d"), Some(90));
        assert_eq!(parse_duration("5 ans"), None);
        assert_eq!(parse_duration("x"), None);
    }

    #[test]
    fn first_matching_rule_wins() {
        let rules = Rules(vec![
            Rule::new("Candidatures/**", "2y", Some("recrutement".into())).unwrap(),
            Rule::new("**", "5y", None).unwrap(),
        ]);
        let r = rules
            .for_path("/srv/partage", "/srv/partage/Candidatures/2019/cv.pdf")
            .unwrap();
        assert_eq!(r.purpose.as_deref(), Some("recrutement"));
        let r = rules
            .for_path("/srv/partage", "/srv/partage/RH/x.pdf")
            .unwrap();
        assert_eq!(r.keep_days, 1826);
    }
}
