//! The stand-in for Voximplant's NLU: intents from a sidecar file matched on
//! normalised text, then fuzzily, else `unknown`. How it matches is written in
//! docs/scenario-lab.md ("Intents").

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::LabError;

/// One intent of the sidecar file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct IntentDef {
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub responses: Vec<String>,
}

/// The intents an avatar knows, and how fuzzy a match may be.
#[derive(Debug, Clone, PartialEq)]
pub struct Nlu {
    intents: BTreeMap<String, IntentDef>,
    /// Lowest confidence of a fuzzy match that names the intent.
    pub threshold: f64,
    /// How many candidates `intents[]` lists.
    pub top: usize,
}

impl Default for Nlu {
    fn default() -> Self {
        Self::new(BTreeMap::new())
    }
}

/// What the NLU made of one message: the fields of the `onUtterance` event.
#[derive(Debug, Clone, PartialEq)]
pub struct Understanding {
    /// The text the scenario sees (a leading `#intent` tag removed).
    pub text: String,
    pub intent: String,
    pub confidence: f64,
    /// `[{intent, confidence, responses}]`, best first.
    pub intents: Vec<Value>,
    pub entities: Value,
    /// The intent's configured answer, `""` when it has none.
    pub response: String,
}

/// Lower case, punctuation as spaces, single spaces.
pub fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A message holding all of a phrase's words scores this much (below an exact match).
const COVERAGE_WEIGHT: f64 = 0.85;

/// Similarity of a normalised message `a` to a normalised training phrase `b`
/// in 0..=1: the best of the normalised edit distance, the word overlap
/// (Jaccard) and the share of the phrase's words the message holds, weighted.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = ca.len().max(cb.len());
    let edit = if longest == 0 {
        0.0
    } else {
        1.0 - levenshtein(&ca, &cb) as f64 / longest as f64
    };
    let wa: std::collections::BTreeSet<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let wb: std::collections::BTreeSet<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    let union = wa.union(&wb).count();
    let common = wa.intersection(&wb).count() as f64;
    let overlap = if union == 0 { 0.0 } else { common / union as f64 };
    // A message that contains every word of a phrase ("pepperoni please").
    let coverage = if wb.is_empty() {
        0.0
    } else {
        COVERAGE_WEIGHT * common / wb.len() as f64
    };
    edit.max(overlap).max(coverage)
}

/// Numbers written with digits, as `systemNumber` entities.
fn numbers(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<Value>| {
        let t = cur.trim_end_matches('.');
        if let Ok(n) = t.parse::<f64>() {
            out.push(json!({ "value": n, "confidence": 1.0 }));
        }
        cur.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit()
            || (c == '.' && !cur.is_empty() && !cur.contains('.'))
            || (c == '-' && cur.is_empty())
        {
            cur.push(c);
        } else {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out
}

impl Nlu {
    pub fn new(intents: BTreeMap<String, IntentDef>) -> Self {
        Self {
            intents,
            threshold: 0.6,
            top: 3,
        }
    }

    /// Reads `intent: {phrases: [...], responses: [...]}` from YAML (or JSON).
    pub fn parse(text: &str, path: &str) -> Result<Self, LabError> {
        let intents: BTreeMap<String, IntentDef> =
            serde_saphyr::from_str(text).map_err(|e| LabError::Intents {
                path: path.to_string(),
                message: e.to_string(),
            })?;
        Ok(Self::new(intents))
    }

    pub fn load(path: &Path) -> Result<Self, LabError> {
        let text = std::fs::read_to_string(path).map_err(|source| LabError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn intents(&self) -> &BTreeMap<String, IntentDef> {
        &self.intents
    }

    fn response_of(&self, intent: &str, text: &str) -> String {
        match self.intents.get(intent) {
            // "One picked at random" on the platform; here by a hash of the
            // text so a run repeats.
            Some(def) if !def.responses.is_empty() => {
                let h = text
                    .bytes()
                    .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
                def.responses[h % def.responses.len()].clone()
            }
            _ => String::new(),
        }
    }

    fn candidate(&self, intent: &str, confidence: f64) -> Value {
        let responses = self
            .intents
            .get(intent)
            .map(|d| d.responses.clone())
            .unwrap_or_default();
        json!({ "intent": intent, "confidence": confidence, "responses": responses })
    }

    /// Understands one message; `forced` (a test step's field) wins over a
    /// leading `#intent` tag, which wins over matching.
    pub fn understand(&self, message: &str, forced: Option<&str>) -> Understanding {
        let mut text = message.to_string();
        let mut intent = forced.map(str::to_string);
        if let Some(rest) = message.trim_start().strip_prefix('#') {
            let tag: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !tag.is_empty() {
                text = rest[tag.len()..].trim().to_string();
                intent.get_or_insert(tag);
            }
        }
        let entities = json!({ "systemNumber": numbers(&text) });
        if let Some(intent) = intent {
            if text.is_empty() {
                text = self
                    .intents
                    .get(&intent)
                    .and_then(|d| d.phrases.first().cloned())
                    .unwrap_or_else(|| intent.clone());
            }
            return Understanding {
                response: self.response_of(&intent, &text),
                intents: vec![self.candidate(&intent, 1.0)],
                confidence: 1.0,
                intent,
                entities,
                text,
            };
        }
        let norm = normalise(&text);
        let mut scored: Vec<(f64, &str)> = self
            .intents
            .iter()
            .map(|(name, def)| {
                let best = def
                    .phrases
                    .iter()
                    .map(|p| similarity(&norm, &normalise(p)))
                    .fold(0.0, f64::max);
                (best, name.as_str())
            })
            .filter(|(score, _)| *score > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.truncate(self.top);
        let intents: Vec<Value> = scored.iter().map(|(c, n)| self.candidate(n, round(*c))).collect();
        let (intent, confidence) = match scored.first() {
            Some((c, n)) if *c >= self.threshold => (n.to_string(), round(*c)),
            _ => ("unknown".to_string(), 0.0),
        };
        Understanding {
            response: self.response_of(&intent, &text),
            intent,
            confidence,
            intents,
            entities,
            text,
        }
    }
}

fn round(c: f64) -> f64 {
    (c * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pizza() -> Nlu {
        Nlu::parse(
            "order:\n  phrases: [I want a pizza, order pizza]\n  responses: [Sure!]\nyes:\n  phrases: [yes, yeah, sure]\nno:\n  phrases: [no, nope]\n",
            "t.yaml",
        )
        .expect("parses")
    }

    #[test]
    fn exact_after_normalising_then_fuzzy_then_unknown() {
        let nlu = pizza();
        let exact = nlu.understand("  I want a PIZZA!! ", None);
        assert_eq!(
            (exact.intent.as_str(), exact.confidence, exact.response.as_str()),
            ("order", 1.0, "Sure!")
        );
        let fuzzy = nlu.understand("i want pizza", None);
        assert_eq!(fuzzy.intent, "order");
        assert!(
            fuzzy.confidence < 1.0 && fuzzy.confidence >= nlu.threshold,
            "{}",
            fuzzy.confidence
        );
        let none = nlu.understand("what is the weather on mars", None);
        assert_eq!(none.intent, "unknown");
        assert_eq!(none.response, "");
    }

    #[test]
    fn a_tag_or_a_field_forces_the_intent() {
        let nlu = pizza();
        let tagged = nlu.understand("#yes", None);
        assert_eq!((tagged.intent.as_str(), tagged.text.as_str()), ("yes", "yes"));
        let tagged_text = nlu.understand("#no definitely not", None);
        assert_eq!(
            (tagged_text.intent.as_str(), tagged_text.text.as_str()),
            ("no", "definitely not")
        );
        assert_eq!(nlu.understand("I want a pizza", Some("no")).intent, "no");
    }

    #[test]
    fn numbers_become_system_number_entities() {
        let u = Nlu::default().understand("2 large and 1.5 litres, -3", None);
        let values: Vec<f64> = u.entities["systemNumber"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|e| e["value"].as_f64())
            .collect();
        assert_eq!(values, [2.0, 1.5, -3.0]);
    }
}
