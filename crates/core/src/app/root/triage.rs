//! Triage across features: a change (assign, status, priority, labels) on the targets shows at once in
//! the list, is confirmed or rolled back by the server's answer, re-reads what it touched, and is told on
//! the status line, one by one or as a bulk action's tally.

use super::AppState;
use crate::app::triage::Progress;
use crate::app::{Action, Change, Confirm, ConfirmAction, Effect, Picker, Purpose, Undo};
use crate::domain::{Conversation, PersonRef};
use crate::protocol::{BackendError, Request};

/// A change on this many conversations or more is shown first and asked about.
pub const ASK_FROM: usize = 5;

impl AppState {
    /// Applies `change` to every target: optimistically on screen, and asked of the server; on
    /// [`ASK_FROM`] or more it shows what it will do and asks first.
    pub(super) fn act(&mut self, change: Change) -> Vec<Effect> {
        let targets = self.targets();
        if targets.is_empty() {
            self.set_error("Nothing selected.");
            return vec![];
        }
        let items = targets.into_iter().map(|c| (c, change.clone())).collect();
        self.ask_or_apply(items, change, false)
    }

    /// Asks first when `items` are many (saying who), else applies them.
    pub(super) fn ask_or_apply(
        &mut self,
        items: Vec<(Conversation, Change)>,
        words: Change,
        undo: bool,
    ) -> Vec<Effect> {
        if items.len() < ASK_FROM {
            return self.apply(items, &words, undo);
        }
        let names: Vec<&str> = items.iter().take(3).map(|(c, _)| c.contact.name.as_str()).collect();
        let more = if items.len() > 3 { format!(" and {} more", items.len() - 3) } else { String::new() };
        let n = items.len();
        let what = if undo { format!("Undo the last change on {n} conversations") } else { words.preview(n) };
        let question = format!("{what}: {}{more}? y/n", names.join(", "));
        self.overlays.confirm = Some(Confirm { question, on_yes: ConfirmAction::Apply { items, words, undo } });
        vec![]
    }

    /// Makes each item's change: at once on screen, and asked of the server. The set is what `U` takes back.
    pub(super) fn apply(&mut self, items: Vec<(Conversation, Change)>, words: &Change, undo: bool) -> Vec<Effect> {
        self.status.next_action();
        self.triage.start(words, items.len(), undo);
        if let [(one, change)] = items.as_slice() {
            // Said at once, so the agent sees the request is on its way; the answer replaces it.
            let name = one.contact.name.clone();
            self.tell(change.doing(&name));
        }
        let mut effects = Vec::new();
        let mut made = Vec::with_capacity(items.len());
        for (listed, change) in items {
            // The copy on screen now, if it still is (a dry run may have waited), is what a refusal rolls back
            // to and what `U` puts back.
            let before = self.list.get(&listed.id).cloned().unwrap_or(listed);
            let mut after = before.clone();
            change.apply(&mut after);
            let request = change.request(&after);
            made.push((before.clone(), change.clone()));
            effects.push(self.send(Purpose::Change { before: Box::new(before), change }, request));
            effects.extend(self.upsert(after));
        }
        // An undo cannot itself be undone: `U` twice does not flip back and forth.
        self.triage.undo = (!undo).then_some(Undo::Changes { at: self.now, items: made });
        effects
    }

    /// `A`: assigns the targets to the signed-in agent.
    pub(super) fn assign_to_me(&mut self) -> Vec<Effect> {
        let Some(me) = self.account.me.as_ref().map(|m| PersonRef { id: m.id.clone(), name: m.name.clone() }) else {
            self.set_error("Still signing in; try again in a moment.");
            return vec![];
        };
        self.act(Change::Assign { to: Some(me), me: true })
    }

    /// The server confirmed a change: its copy shows, and what the change touched is read again.
    pub(super) fn change_confirmed(&mut self, change: &Change, c: Conversation) -> Vec<Effect> {
        let name = c.contact.name.clone();
        let contact_id = c.contact_id.clone();
        let mut effects = self.upsert(c);
        effects.extend(self.list.request_counts(&mut self.requests));
        if change.touches_assignee() {
            if let Some(reread) = self.detail.reread(&contact_id, &mut self.requests) {
                effects.push(reread);
            } else {
                // Not on screen: the cached copy is stale, so it goes.
                self.offline.contacts.remove(&contact_id);
            }
        }
        let progress = self.triage.answered(None);
        self.progress(progress, || change.done(&name));
        effects
    }

    /// The server refused a change (or its answer was lost): the conversation as it was shows again, and
    /// one whose outcome is unknown is read again.
    pub(super) fn change_refused(&mut self, change: &Change, before: Conversation, e: &BackendError) -> Vec<Effect> {
        let name = before.contact.name.clone();
        let reason = crate::app::status::reason(e);
        let id = before.id.clone();
        // Not made, so nothing to take back.
        if let Some(Undo::Changes { items, .. }) = &mut self.triage.undo {
            items.retain(|(c, ch)| !(c.id == id && ch == change));
        }
        let mut effects = self.upsert(before);
        effects.extend(self.list.request_counts(&mut self.requests));
        if e.outcome_unknown() {
            effects.push(self.send(Purpose::Reread(id.clone()), Request::Conversation(id)));
        }
        let words = format!("{}: {reason}", change.failed(&name));
        match self.triage.answered(Some((name, reason))) {
            Progress::Single => self.set_error(words),
            progress => self.progress(progress, String::new),
        }
        effects
    }

    /// Says where a change's answer leaves things: `single` for a change on one conversation.
    fn progress(&mut self, progress: Progress, single: impl FnOnce() -> String) {
        match progress {
            Progress::Single => self.tell(single()),
            Progress::Pending => {}
            Progress::Done(words) => self.tell(words),
            Progress::Failed(words) => self.set_error(words),
        }
    }

    /// Space in the list: marks or unmarks the row and moves on.
    pub(super) fn toggle_mark(&mut self) -> Vec<Effect> {
        let Some(id) = self.list.selected().map(|c| c.id.clone()) else { return vec![] };
        self.triage.toggle(&id, self.list.selected);
        self.move_by(1)
    }

    /// `a`, `p`, `l`: opens a picker over the targets.
    pub(super) fn open_picker(&mut self, a: Action) -> Vec<Effect> {
        let targets = self.targets();
        let opened = match a {
            Action::Assign => Picker::assign(&self.account, &targets, &mut self.requests),
            Action::Labels => Picker::labels(&self.account, &targets, &mut self.requests),
            _ => Picker::priority(&targets).map(|p| (p, vec![])),
        };
        let Some((picker, effects)) = opened else {
            self.set_error("Nothing selected.");
            return vec![];
        };
        self.overlays.picker = Some(picker);
        effects
    }

    /// A key in the open picker; Enter acts on the change chosen.
    pub(super) fn picker_action(&mut self, a: Action) -> Vec<Effect> {
        if let Some(effects) = self.template_picker_action(a) {
            return effects;
        }
        if let Some(effects) = self.canned_picker_action(a) {
            return effects;
        }
        match self.overlays.picker_action(a, &self.account) {
            Some(change) => self.act(change),
            None => vec![],
        }
    }
}
