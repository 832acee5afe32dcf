//! The demo data set: seed material in `assets/demo/`, expanded deterministically into a full inbox.
//!
//! Times are relative to `now`, so a demo started any day looks like a live inbox, not an archive.

use super::store::*;
use chrono::Duration;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::{Map, Value};

const AGENTS: &str = include_str!("../assets/demo/agents.json");
const LABELS: &str = include_str!("../assets/demo/labels.json");
const PEOPLE: &str = include_str!("../assets/demo/people.json");
const FLOWS: &str = include_str!("../assets/demo/flows.json");
const TOPICS: &str = include_str!("../assets/demo/topics.json");
const EXTRAS: &str = include_str!("../assets/demo/extras.json");
const PREPARED: &str = include_str!("../assets/demo/prepared.json");

/// The approved templates and canned responses the demo offers.
#[derive(Deserialize)]
struct Prepared {
    templates: Vec<TemplateRec>,
    canned: Vec<CannedRec>,
}

/// How many contacts and conversations the demo has.
pub const CONTACTS: usize = 132;
/// How many conversations the demo has.
pub const CONVERSATIONS: usize = 330;

#[derive(Deserialize)]
struct Region {
    country: String,
    language: String,
    dial: String,
    tld: String,
    firsts: Vec<String>,
    lasts: Vec<String>,
}

#[derive(Deserialize)]
struct FlowSeed {
    id: String,
    name: String,
    panel_config: Value,
    values: Map<String, Value>,
}

#[derive(Deserialize)]
struct Topic {
    subject: Option<String>,
    /// The language the customer writes in; topics without one are in English and fit anyone.
    lang: Option<String>,
    labels: Vec<String>,
    flow: Option<String>,
    messages: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct Extras {
    comments: Vec<String>,
    files: Vec<(String, u64)>,
    tags: Vec<String>,
}

const CHANNELS: [&str; 4] = ["whatsapp", "instagram", "sms", "email"];
const TIERS: [&str; 4] = ["free", "pro", "premium", "enterprise"];

/// An email-friendly spelling of a Latin name: accents folded, everything else dropped.
fn ascii_slug(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => "a".to_string(),
            'é' | 'è' | 'ê' | 'ë' => "e".into(),
            'í' | 'ì' | 'î' | 'ï' => "i".into(),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => "o".into(),
            'ú' | 'ù' | 'û' | 'ü' => "u".into(),
            'ç' => "c".into(),
            'ñ' => "n".into(),
            'ß' => "ss".into(),
            c if c.is_ascii_alphabetic() => c.to_string(),
            _ => String::new(),
        })
        .collect()
}

fn fill(template: &str, rng: &mut StdRng, name: &str, email: Option<&str>) -> String {
    let mut out = template.replace("{name}", name).replace("{email}", email.unwrap_or("—"));
    while let Some(at) = out.find("{n5}") {
        out.replace_range(at..at + 4, &rng.random_range(10_000..100_000).to_string());
    }
    out
}

/// Builds the demo store as of `now`.
pub fn load(now: Time) -> anyhow::Result<Store> {
    use chrono::SubsecRound;
    // The API shows milliseconds: store no more, so times clients send back compare exactly.
    let now = now.trunc_subsecs(3);
    let mut rng = StdRng::seed_from_u64(20261121);
    let mut store =
        Store { agents: serde_json::from_str(AGENTS)?, labels: serde_json::from_str(LABELS)?, ..Store::default() };
    let prepared: Prepared = serde_json::from_str(PREPARED)?;
    (store.templates, store.canned) = (prepared.templates, prepared.canned);
    let regions: Vec<Region> = serde_json::from_str(PEOPLE)?;
    let flows: Vec<FlowSeed> = serde_json::from_str(FLOWS)?;
    let topics: Vec<Topic> = serde_json::from_str(TOPICS)?;
    let extras: Extras = serde_json::from_str(EXTRAS)?;
    anyhow::ensure!(!regions.is_empty() && !flows.is_empty() && !topics.is_empty(), "demo seed files are empty");
    store.flows = flows
        .iter()
        .map(|f| FlowRec { id: f.id.clone(), name: f.name.clone(), panel_config: f.panel_config.clone() })
        .collect();
    let agent_ids: Vec<String> = store.agents.iter().map(|a| a.id.clone()).collect();

    for i in 0..CONTACTS {
        let region = &regions[i % regions.len()];
        let round = i / regions.len();
        let first = region.firsts[(round + i) % region.firsts.len()].clone();
        let last = region.lasts[(round * 3 + i / 2) % region.lasts.len()].clone();
        let slug = ascii_slug(&first);
        let email = (!rng.random_bool(0.1)).then(|| {
            if slug.is_empty() {
                format!("customer{i:03}@mail.example.{}", region.tld)
            } else {
                format!("{slug}.{}{i}@mail.example.{}", ascii_slug(&last), region.tld)
            }
        });
        let phone = (!rng.random_bool(0.08))
            .then(|| format!("{}{}", region.dial, rng.random_range(200_000_000u64..999_999_999)));
        let mut metadata = Map::new();
        metadata.insert("customer_id".into(), format!("cust_{:04}", 1000 + i).into());
        metadata.insert("tier".into(), TIERS.choose(&mut rng).copied().unwrap_or("free").into());
        metadata.insert("country".into(), region.country.clone().into());
        metadata.insert("language".into(), region.language.clone().into());
        metadata.insert("orders".into(), rng.random_range(0..40).into());
        if rng.random_bool(0.15) {
            metadata.insert("vip".into(), true.into());
        }
        let created_at = now - Duration::days(rng.random_range(20..900));
        let status = match rng.random_range(0..100) {
            0..=84 => "active",
            85..=96 => "inactive",
            _ => "deleted",
        };
        store.contacts.push(ContactRec {
            id: format!("cnt_{i:04}"),
            first_name: first,
            last_name: Some(last),
            phone,
            email,
            profile_name: None,
            preferred_channel: CHANNELS[rng.random_range(0..4)].into(),
            metadata,
            status: status.into(),
            account_id: Some(format!("acc_{}", i % 3 + 1)),
            assigned_to: rng.random_bool(0.5).then(|| agent_ids[rng.random_range(0..agent_ids.len())].clone()),
            created_at,
            updated_at: created_at,
            last_contacted: None,
            session: None,
        });
    }

    // The chatbot flow that handled each contact's latest conversation, for its session panel.
    let mut latest_flow: Vec<Option<(Time, String)>> = vec![None; CONTACTS];
    for i in 0..CONVERSATIONS {
        let ci = (i * 7) % CONTACTS;
        let contact = &store.contacts[ci];
        let language = contact.metadata.get("language").and_then(Value::as_str).unwrap_or("en");
        let fitting: Vec<&Topic> = topics.iter().filter(|t| t.lang.as_deref().is_none_or(|l| l == language)).collect();
        let own: Vec<&Topic> = fitting.iter().copied().filter(|t| t.lang.is_some()).collect();
        // Customers write in their own language when a script exists for it, most of the time.
        let topic = if !own.is_empty() && rng.random_bool(0.6) {
            own[rng.random_range(0..own.len())]
        } else {
            fitting[rng.random_range(0..fitting.len())]
        };
        let channel = if rng.random_bool(0.6) {
            contact.preferred_channel.clone()
        } else {
            CHANNELS[rng.random_range(0..4)].into()
        };
        let status = match rng.random_range(0..100) {
            0..=56 => "open",
            57..=86 => "closed",
            _ => "archived",
        };
        let priority = ["low", "medium", "medium", "high"][rng.random_range(0..4)];
        let assignee = rng.random_bool(0.58).then(|| agent_ids[rng.random_range(0..agent_ids.len())].clone());
        // Ages skew recent: most activity in the last hours, a long tail over two weeks.
        let age_min = (rng.random::<f64>().powi(3) * 60.0 * 24.0 * 14.0) as i64 + 1;
        let last_at = now - Duration::minutes(age_min);
        let mut script: Vec<&(String, String)> = topic.messages.iter().collect();
        if status == "open" && script.len() > 1 && rng.random_bool(0.5) {
            script.truncate(rng.random_range(1..script.len()));
        }
        let span = script.len() as i64;
        let id = format!("conv_{i:04}");
        let mut labels = topic.labels.clone();
        if rng.random_bool(0.2)
            && let Some(l) = store.labels.choose(&mut rng)
            && !labels.contains(&l.name)
        {
            labels.push(l.name.clone());
        }
        let tags = if rng.random_bool(0.4) {
            vec![extras.tags[rng.random_range(0..extras.tags.len())].clone()]
        } else {
            vec![]
        };
        let created_at = last_at - Duration::minutes(span * 7 + rng.random_range(1..60));
        let mut conv = ConvRec {
            id: id.clone(),
            contact_id: contact.id.clone(),
            channel,
            subject: topic.subject.clone(),
            status: status.into(),
            priority: priority.into(),
            assignee: assignee.clone(),
            labels,
            tags,
            created_at,
            updated_at: last_at,
            message_count: 0,
            unread_count: 0,
            last_message_at: None,
            last_message_preview: None,
            waiting_since: None,
            last_inbound_at: None,
        };
        let mut msgs = Vec::new();
        for (k, (dir, text)) in script.iter().enumerate() {
            let at = last_at - Duration::minutes((span - 1 - k as i64) * 7);
            let author = match dir.as_str() {
                "in" => None,
                _ => assignee.clone().or_else(|| agent_ids.choose(&mut rng).cloned()),
            };
            let private = dir == "note";
            msgs.push(MsgRec {
                id: format!("msg_{i:04}_{k:02}"),
                conversation_id: id.clone(),
                incoming: author.is_none(),
                private,
                author,
                text: text.clone(),
                status: if dir == "in" {
                    "received".into()
                } else {
                    ["sent", "delivered", "read"][rng.random_range(0..3)].into()
                },
                error: None,
                created_at: at,
            });
        }
        for m in &msgs {
            conv.message_count += 1;
            if m.private {
                continue;
            }
            conv.last_message_at = Some(m.created_at);
            conv.last_message_preview = Some(m.text.chars().take(140).collect());
            if m.incoming {
                conv.last_inbound_at = Some(m.created_at);
                conv.waiting_since.get_or_insert(m.created_at);
                conv.unread_count += 1;
            } else {
                conv.waiting_since = None;
                conv.unread_count = 0;
            }
        }
        if status != "open" {
            conv.waiting_since = None;
            conv.unread_count = 0;
        } else if rng.random_bool(0.3) {
            conv.unread_count = 0;
        }
        if let Some(a) = &assignee {
            let name = store.agent(a).map(|x| x.name.clone()).unwrap_or_default();
            store.record_activity(&id, "assigned", None, format!("Auto-assigned to {name}"), created_at);
        }
        if status != "open" {
            store.record_activity(
                &id,
                "status",
                assignee.as_deref(),
                format!("changed status from open to {status}"),
                last_at,
            );
        }
        store.contacts[ci].last_contacted =
            msgs.iter().filter(|m| !m.incoming).map(|m| m.created_at).max().or(store.contacts[ci].last_contacted);
        if let Some(flow) = &topic.flow
            && latest_flow[ci].as_ref().is_none_or(|(t, _)| *t < last_at)
        {
            latest_flow[ci] = Some((last_at, flow.clone()));
        }
        store.messages.insert(id, msgs);
        store.conversations.push(conv);
    }
    for (ci, latest) in latest_flow.into_iter().enumerate() {
        let flow = match latest {
            Some((_, id)) => flows.iter().find(|f| f.id == id),
            None if rng.random_bool(0.5) => flows.choose(&mut rng),
            None => None,
        };
        if let Some(flow) = flow {
            let c = &store.contacts[ci];
            let session = session_for(flow, &mut rng, &c.full_name(), c.email.as_deref(), ci);
            store.contacts[ci].session = Some(session);
        }
    }

    seed_notifications(&mut store, &mut rng, now);
    for ci in 0..CONTACTS {
        let cid = store.contacts[ci].id.clone();
        if rng.random_bool(0.35) {
            for k in 0..rng.random_range(1..3) {
                let text = extras.comments[rng.random_range(0..extras.comments.len())].clone();
                let author = agent_ids[rng.random_range(0..agent_ids.len())].clone();
                let at = now - Duration::hours(rng.random_range(1..400)) - Duration::minutes(k);
                let id = store.new_id("cmt");
                store.comments.entry(cid.clone()).or_default().push(CommentRec {
                    id,
                    text,
                    author: Some(author),
                    created_at: at,
                });
            }
        }
        if rng.random_bool(0.25) {
            for _ in 0..rng.random_range(1..4) {
                let (name, size) = extras.files[rng.random_range(0..extras.files.len())].clone();
                let id = store.new_id("fil");
                let url = format!("https://files.tinbox.invalid/{cid}/{id}");
                store.files.entry(cid.clone()).or_default().push(FileRec { id, name, url, size });
            }
        }
    }
    Ok(store)
}

fn session_for(flow: &FlowSeed, rng: &mut StdRng, name: &str, email: Option<&str>, i: usize) -> SessionRec {
    let mut data = Map::new();
    for (key, options) in &flow.values {
        let pick = options.as_array().and_then(|o| o.choose(rng)).cloned().unwrap_or(Value::Null);
        // Some fields stay unanswered (null in the seed, or skipped): the panel must show them as missing.
        if let Value::String(t) = pick
            && !rng.random_bool(0.12)
        {
            data.insert(key.clone(), fill(&t, rng, name, email).into());
        }
    }
    SessionRec { session_id: format!("ses_{i:04}"), flow_id: flow.id.clone(), data }
}

fn seed_notifications(store: &mut Store, rng: &mut StdRng, now: Time) {
    let convs: Vec<(String, String, Option<String>, bool, Time)> = store
        .conversations
        .iter()
        .map(|c| (c.id.clone(), c.contact_id.clone(), c.assignee.clone(), c.waiting_since.is_some(), c.updated_at))
        .collect();
    let mut per_agent: std::collections::HashMap<String, usize> = Default::default();
    for (conv, contact, assignee, waiting, at) in convs {
        let Some(agent) = assignee else { continue };
        let n = per_agent.entry(agent.clone()).or_default();
        if *n >= 14 {
            continue;
        }
        *n += 1;
        let who = store.contact(&contact).map(|c| c.full_name()).unwrap_or_default();
        let subject = store
            .conversations
            .iter()
            .find(|c| c.id == conv)
            .and_then(|c| c.subject.clone())
            .unwrap_or_else(|| "(no subject)".into());
        // Someone other than the recipient caused it.
        let others: Vec<String> = store.agents.iter().filter(|a| a.id != agent).map(|a| a.name.clone()).collect();
        let actor = others.choose(rng).cloned().unwrap_or_default();
        let (kind, title, body) = match (waiting, rng.random_range(0..4)) {
            (true, _) => ("new_message", format!("New message from {who}"), subject.clone()),
            (false, 0) => ("mention", format!("{actor} mentioned you in a note"), format!("{who} — {subject}")),
            (false, 1) => {
                ("status_changed", format!("{actor} marked your conversation closed"), format!("{who} — {subject}"))
            }
            (false, 2) => ("conversation_created", format!("New conversation from {who}"), subject.clone()),
            _ => ("assigned", format!("{actor} assigned you a conversation"), format!("{who} — {subject}")),
        };
        let id = store.new_id("ntf");
        let created_at = at.min(now);
        store.notifications.push(NotifRec {
            id,
            recipient: agent,
            kind: kind.into(),
            title,
            body,
            conversation_id: Some(conv),
            contact_id: Some(contact),
            actor: None,
            is_read: rng.random_bool(0.5),
            created_at,
        });
    }
}
