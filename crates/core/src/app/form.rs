//! Small forms: editing a contact (validated before anything is sent) and adding a comment.

use super::{AppState, Effect, Load, Pane, Purpose};
use crate::domain::{Clean, Comment, Contact};
use crate::protocol::{ContactEdit, Request};

/// What a form does when submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    /// Edit a contact's name, email and phone.
    EditContact(Clean),
    /// Add a comment to a contact.
    Comment(Clean),
}

/// One field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its label.
    pub label: &'static str,
    /// What is typed.
    pub value: String,
    /// Why the value cannot be sent, in words.
    pub error: Option<String>,
}

/// An open form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// What it does.
    pub kind: FormKind,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The field being typed in.
    pub focus: usize,
    /// A save is in flight.
    pub sending: bool,
    /// Why the last save failed.
    pub error: Option<String>,
}

fn field(label: &'static str, value: Option<&str>) -> Field {
    Field { label, value: value.unwrap_or("").to_string(), error: None }
}

fn contact_id(state: &AppState) -> Option<Clean> {
    state.detail.contact_id.clone()
}

/// `e` in the contact panel: edit name, email and phone.
pub fn open_edit(state: &mut AppState) {
    let Some(id) = contact_id(state) else { return };
    // The panel's contact; while it loads, the one the shown conversation carries (never another row's).
    let shown = super::detail::shown(state).map(|(conversation, _)| conversation);
    let embedded = shown.and_then(|cid| {
        let in_thread = state.thread.as_ref().and_then(|t| t.conversation.ready()).filter(|c| c.id == cid);
        in_thread.or_else(|| state.list.items.iter().find(|c| c.id == cid)).map(|c| c.contact.clone())
    });
    let c = state.detail.contact.ready().cloned().or(embedded).filter(|c| c.id == id).unwrap_or_default();
    let fields =
        vec![field("Name", Some(&c.name)), field("Email", c.email.as_deref()), field("Phone", c.phone.as_deref())];
    state.overlays.form = Some(Form { kind: FormKind::EditContact(id), fields, focus: 0, sending: false, error: None });
}

/// `C` in the contact panel: add a comment (`@name` mentions an agent).
pub fn open_comment(state: &mut AppState) {
    let Some(id) = contact_id(state) else { return };
    state.overlays.form = Some(Form {
        kind: FormKind::Comment(id),
        fields: vec![field("Comment", None)],
        focus: 0,
        sending: false,
        error: None,
    });
}

pub use crate::validate::{is_e164, is_email};

fn validate(form: &mut Form) -> bool {
    for f in &mut form.fields {
        let v = f.value.trim();
        f.error = match (f.label, v.is_empty()) {
            ("Name", true) => Some("a name is needed".into()),
            ("Comment", true) => Some("write something first".into()),
            ("Email", false) if !is_email(v) => Some("not an email address (like ana@example.com)".into()),
            ("Phone", false) if !is_e164(v) => {
                Some("use the international format: + and country code, digits only (like +14155550123)".into())
            }
            _ => None,
        };
    }
    form.fields.iter().all(|f| f.error.is_none())
}

/// A key while a form is open.
pub fn on_action(state: &mut AppState, a: super::Action) -> Vec<Effect> {
    use super::Action;
    let Some(form) = state.overlays.form.as_mut() else { return vec![] };
    if form.sending {
        return vec![];
    }
    let n = form.fields.len();
    match a {
        Action::Back => state.overlays.form = None,
        Action::Down | Action::NextPane => form.focus = (form.focus + 1) % n,
        Action::Up | Action::PrevPane => form.focus = (form.focus + n - 1) % n,
        Action::SearchInput(c) => {
            form.fields[form.focus].value.push(c);
            form.fields[form.focus].error = None;
        }
        Action::SearchBackspace => {
            form.fields[form.focus].value.pop();
        }
        Action::Open => return submit(state),
        _ => {}
    }
    vec![]
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    let Some(form) = state.overlays.form.as_mut() else { return vec![] };
    if !validate(form) {
        form.error = Some("Fix the marked fields; nothing was sent.".into());
        return vec![];
    }
    let value = |i: usize| form.fields[i].value.trim().to_string();
    let (purpose, request) = match &form.kind {
        FormKind::EditContact(contact_id) => {
            let edit = ContactEdit { name: value(0), email: value(1), phone: value(2) };
            (Purpose::SaveContact(contact_id.clone()), Request::UpdateContact { contact_id: contact_id.clone(), edit })
        }
        FormKind::Comment(contact_id) => (
            Purpose::AddComment(contact_id.clone()),
            Request::AddComment { contact_id: contact_id.clone(), text: value(0) },
        ),
    };
    form.sending = true;
    form.error = None;
    vec![state.send(purpose, request)]
}

fn close_saved(state: &mut AppState, notice: &str) {
    state.overlays.form = None;
    state.focus = Pane::Contact;
    state.tell(notice);
}

/// The server saved the contact: it replaces what the panel and the list show.
pub fn contact_saved(state: &mut AppState, c: Contact) {
    for conv in state.list.items.iter_mut().filter(|x| x.contact_id == c.id) {
        conv.contact = c.clone();
    }
    if state.detail.contact_id.as_deref() == Some(c.id.as_str()) {
        state.detail.contact = Load::Ready(c);
    }
    close_saved(state, "Contact saved");
}

/// The server added the comment: it goes on top of the panel's list.
pub fn comment_added(state: &mut AppState, c: Comment) {
    if let Load::Ready(list) = &mut state.detail.comments {
        list.insert(0, c);
    }
    close_saved(state, "Comment added");
}

/// The server refused the form: it stays open with the text and the reason.
pub fn refused(state: &mut AppState, reason: String) {
    if let Some(f) = state.overlays.form.as_mut().filter(|f| f.sending) {
        f.sending = false;
        f.error = Some(format!("Not saved: {reason}"));
    }
}
