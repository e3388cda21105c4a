//! Where a value stands in a schema file, in words, for messages about values that serde
//! refuses without saying whose they are.

/// What the bilingual text at byte `at` belongs to, for a message about it: "the label of
/// field `count`", "the unit of field `amount`", "the label of form `T`", or "this text".
pub(super) fn text_owner(source: &str, at: usize) -> String {
    let before = source.get(..at).unwrap_or("");
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let Some(key) = line
        .split('=')
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    else {
        return "this text".into();
    };
    if key == "reasons" {
        return "a reason".into();
    }
    let table = before.rfind("\n[").map_or(before, |i| &before[i + 1..]);
    let kind = if table.starts_with("[[form.field]]") {
        "field"
    } else {
        "form"
    };
    let name = table.lines().find_map(|l| {
        let value = l
            .trim()
            .strip_prefix("name")?
            .trim()
            .strip_prefix('=')?
            .trim();
        Some(value.trim_matches('"').to_string())
    });
    match name {
        Some(name) => format!("the {key} of {kind} `{name}`"),
        None => format!("the {key} of this {kind}"),
    }
}
