//! customData presets, saved per profile: named templates a tester applies to
//! a pane's customData editor. Kept in the store's settings table as JSON.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CoreError;
use crate::store::Store;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Preset {
    pub name: String,
    /// JSON with template variables, as in the editor.
    pub template: String,
}

const MAX_PRESETS: usize = 100;

fn key(profile: Uuid) -> String {
    format!("presets:{profile}")
}

pub fn list(store: &Store, profile: Uuid) -> Result<Vec<Preset>, CoreError> {
    let Some(text) = store.setting(&key(profile))? else {
        return Ok(Vec::new());
    };
    // A damaged entry is reported, not silently replaced.
    serde_json::from_str(&text)
        .map_err(|e| CoreError::Invalid(format!("the saved presets cannot be read: {e}")))
}

/// Add or replace the preset called `name`; presets stay sorted by name.
pub fn save(store: &Store, profile: Uuid, name: &str, template: &str) -> Result<Vec<Preset>, CoreError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(CoreError::Invalid(
            "a preset needs a name of 1 to 100 characters".into(),
        ));
    }
    let mut presets = list(store, profile)?;
    presets.retain(|p| p.name != name);
    if presets.len() >= MAX_PRESETS {
        return Err(CoreError::Invalid(format!(
            "at most {MAX_PRESETS} presets per profile"
        )));
    }
    presets.push(Preset {
        name: name.to_owned(),
        template: template.to_owned(),
    });
    presets.sort_by_key(|p| p.name.to_lowercase());
    write(store, profile, &presets)?;
    Ok(presets)
}

pub fn delete(store: &Store, profile: Uuid, name: &str) -> Result<Vec<Preset>, CoreError> {
    let mut presets = list(store, profile)?;
    presets.retain(|p| p.name != name);
    write(store, profile, &presets)?;
    Ok(presets)
}

fn write(store: &Store, profile: Uuid, presets: &[Preset]) -> Result<(), CoreError> {
    let text = serde_json::to_string(presets).map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok(store.set_setting(&key(profile), &text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_per_profile_sorted_and_persist() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("console.db");
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        {
            let store = Store::open(&path).expect("store");
            save(&store, a, "vip", r#"{"tier":"gold"}"#).expect("save");
            save(&store, a, "Anonymous", "{}").expect("save");
            save(&store, a, "vip", r#"{"tier":"platinum"}"#).expect("replace");
            assert!(save(&store, a, "  ", "{}").is_err());
            assert!(
                list(&store, b).expect("list").is_empty(),
                "another profile has its own presets"
            );
        }
        let store = Store::open(&path).expect("reopen");
        let names: Vec<_> = list(&store, a)
            .expect("list")
            .into_iter()
            .map(|p| (p.name, p.template))
            .collect();
        assert_eq!(
            names,
            [
                ("Anonymous".into(), "{}".into()),
                ("vip".into(), r#"{"tier":"platinum"}"#.into())
            ]
        );
        assert_eq!(delete(&store, a, "vip").expect("delete").len(), 1);
    }
}
