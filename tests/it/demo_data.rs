//! The shipped demo data loads and meets the counts the demo promises.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use tinbox::domain::PanelConfig;
use tinbox::server::demo;

#[test]
fn demo_data_meets_the_counts() {
    let s = demo::load(chrono::Utc::now()).unwrap();
    assert!(s.conversations.len() >= 300);
    assert!(s.contacts.len() >= 120);
    assert!(s.agents.len() >= 8);
    assert!(s.labels.len() >= 5);
    let channels: HashSet<&str> = s.conversations.iter().map(|c| c.channel.as_str()).collect();
    assert_eq!(channels, HashSet::from(["whatsapp", "instagram", "sms", "email"]));
    let statuses: HashSet<&str> = s.conversations.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses, HashSet::from(["open", "closed", "archived"]));
    let priorities: HashSet<&str> = s.conversations.iter().map(|c| c.priority.as_str()).collect();
    assert_eq!(priorities, HashSet::from(["low", "medium", "high"]));
    let unassigned = s.conversations.iter().filter(|c| c.assignee.is_none()).count();
    assert!(unassigned >= 100, "many unassigned: {unassigned}");
    assert!(
        s.conversations.iter().all(|c| s.messages.get(&c.id).is_some_and(|m| !m.is_empty())),
        "messages everywhere"
    );
    assert!(s.contacts.iter().all(|c| !c.metadata.is_empty()), "contacts carry metadata");
    assert!(s.notifications.len() >= 20);
    for a in &s.agents {
        assert_eq!(
            a.token,
            format!("demo-{}", a.name.split_whitespace().next().unwrap().to_lowercase().replace('é', "e"))
        );
    }
}

#[test]
fn flows_cover_every_panel_feature() {
    let s = demo::load(chrono::Utc::now()).unwrap();
    assert!(s.flows.len() >= 4);
    let panels: Vec<PanelConfig> = s.flows.iter().map(|f| PanelConfig::from_value(&f.panel_config)).collect();
    let sections: Vec<_> = panels.iter().flat_map(|p| &p.sections).collect();
    assert!(sections.iter().any(|s| s.columns == 1) && sections.iter().any(|s| s.columns == 2));
    assert!(sections.iter().any(|s| s.collapsible && s.default_collapsed));
    assert!(sections.iter().any(|s| s.collapsible && !s.default_collapsed));
    assert!(sections.iter().any(|s| !s.collapsible));
    let fields: Vec<_> = sections.iter().flat_map(|s| &s.fields).collect();
    for t in ["badge", "tag"] {
        assert!(fields.iter().any(|f| f.display_type.as_str() == t), "display_type {t}");
    }
    for c in ["default", "success", "warning", "error", "info"] {
        assert!(fields.iter().any(|f| f.color.as_str() == c), "color {c}");
    }
    // Some sessions lack fields their panel shows.
    let missing = s.contacts.iter().filter_map(|c| c.session.as_ref()).any(|sess| {
        let flow = s.flows.iter().find(|f| f.id == sess.flow_id).unwrap();
        PanelConfig::from_value(&flow.panel_config)
            .sections
            .iter()
            .flat_map(|x| &x.fields)
            .any(|f| !sess.data.contains_key(f.key.as_str()))
    });
    assert!(missing);
    assert!(s.contacts.iter().filter(|c| c.session.is_some()).count() >= 60);
}

#[test]
fn names_and_texts_in_several_scripts() {
    let s = demo::load(chrono::Utc::now()).unwrap();
    let names: String = s.contacts.iter().map(|c| c.full_name()).collect();
    let texts: String = s.messages.values().flatten().map(|m| m.text.as_str()).collect();
    let has = |text: &str, range: std::ops::RangeInclusive<char>| text.chars().any(|c| range.contains(&c));
    for all in [&names, &texts] {
        assert!(has(all, 'À'..='ÿ'), "accented Latin");
        assert!(has(all, '\u{0600}'..='\u{06FF}'), "Arabic");
        assert!(has(all, '\u{05D0}'..='\u{05EA}'), "Hebrew");
        assert!(has(all, '\u{4E00}'..='\u{9FFF}'), "CJK");
        assert!(has(all, '\u{1F300}'..='\u{1FAFF}'), "emoji");
    }
}

#[test]
fn the_demo_is_the_same_every_time() {
    let now = chrono::Utc::now();
    let (a, b) = (demo::load(now).unwrap(), demo::load(now).unwrap());
    let ids = |s: &tinbox::server::store::Store| {
        s.conversations.iter().map(|c| format!("{}{}{:?}", c.id, c.contact_id, c.assignee)).collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
}
