//! Where every answer goes: one `match` on the purpose its request was sent for.
//!
//! An answer whose request is no longer in flight (superseded by a newer one of the same purpose, or
//! from before a reload) is dropped here, so no feature ever asks "was that mine?".

use super::AppState;
use crate::app::{Effect, ErrorAbout, Purpose};
use crate::domain::{Conversation, Page};
use crate::protocol::{BackendError, Listed, Reply, RequestId};

impl AppState {
    /// Hands the answer to request `id` to the feature that asked.
    pub(super) fn route(&mut self, id: RequestId, result: Result<Reply, BackendError>) -> Vec<Effect> {
        // Answered at last (or given up on): its retry note goes.
        self.status.retrying.remove(&id);
        let Some(purpose) = self.requests.answered(id) else { return vec![] };
        let reply = match result {
            Ok(reply) => reply,
            Err(e) => return self.failed(purpose, e),
        };
        match (purpose, reply) {
            (Purpose::Me, Reply::Me(me)) => self.account.me = Some(me),
            (Purpose::Agents, Reply::Agents(agents)) => {
                self.account.agents = agents;
                let targets = self.targets();
                self.overlays.agents_arrived(&self.account, &targets);
            }
            (Purpose::Labels, Reply::Labels(labels)) => {
                self.account.labels = labels;
                self.overlays.labels_arrived(&self.account);
            }
            (Purpose::ListPage, Reply::Conversations { query, page }) => return self.list_page(query.page, page),
            (Purpose::Count(view), Reply::Conversations { page, .. }) => {
                let total = match page {
                    Listed::Fresh(value) => Some(value.total),
                    Listed::Unchanged => None,
                };
                return self.list.count_arrived(view, total, self.now, &mut self.requests);
            }
            (Purpose::Notifications, Reply::Notifications(page)) => self.notifications.loaded(page.items),
            (Purpose::Contact(cid), Reply::Contact(c)) => {
                self.offline.contacts.insert(c.id.clone(), (*c).clone());
                self.detail.contact_loaded(&cid, *c);
            }
            (Purpose::Detail(cid), Reply::Detail { parts, .. }) => {
                if let Listed::Fresh(p) = &parts
                    && let Ok(c) = &p.contact
                {
                    self.offline.contacts.insert(c.id.clone(), c.clone());
                }
                let (contact, session) = (self.offline.contacts.get(&cid), self.offline.sessions.get(&cid));
                self.detail.arrived(&cid, parts, self.now, contact, session);
            }
            (Purpose::ThreadConversation(cid), Reply::Conversation(c)) => {
                if let Some(t) = self.thread_of(&cid) {
                    t.conversation_changed(&c);
                }
                return self.follow_selection();
            }
            (Purpose::Thread(cid), Reply::Messages { page, .. }) => {
                let Some(t) = self.thread_of(&cid) else { return vec![] };
                t.messages_loaded(page);
                return self.thread_arrived();
            }
            (Purpose::Activities(cid), Reply::Activities { page, .. }) => {
                if let Some(t) = self.thread_of(&cid) {
                    t.activities_loaded(page);
                }
            }
            (Purpose::OlderMessages(cid), Reply::Messages { page, .. }) => {
                if let Some(t) = self.thread_of(&cid) {
                    t.older_loaded(page);
                }
            }
            (Purpose::Send { conversation_id, kind }, Reply::Sent(m)) => {
                return self.message_sent(&conversation_id, kind, *m);
            }
            (Purpose::SaveContact(_), Reply::Contact(c)) => self.contact_saved(*c),
            (Purpose::AddComment(_), Reply::Comment(c)) => self.comment_added(*c),
            (Purpose::Change { change, .. }, Reply::Conversation(c)) => return self.change_confirmed(&change, *c),
            (Purpose::Reread(_) | Purpose::MarkRead(_), Reply::Conversation(c)) => return self.upsert(*c),
            (Purpose::NotificationAction, _) => {}
            (Purpose::TakeNext, Reply::Taken(c)) => return self.taken(c.map(|c| *c)),
            (Purpose::Templates(cid), Reply::Templates(list)) => self.overlays.templates_arrived(cid, list),
            (Purpose::SendTemplate(cid), Reply::Sent(m)) => return self.template_sent(&cid, *m),
            (Purpose::Canned(cid), Reply::Canned(list)) => self.overlays.canned_arrived(cid, list),
            (Purpose::CannedUsed, _) => {}
            (purpose, reply) => {
                // A backend answered with another shape than its request asks for: a bug, never shown as data.
                // Named, not printed: a purpose can carry a conversation, with the customer's details.
                tracing::warn!(purpose = purpose.name(), reply = reply.name(), "an answer did not fit its request");
            }
        }
        vec![]
    }

    /// A page of the list arrived.
    fn list_page(&mut self, page_no: u32, page: Listed<Page<Conversation>>) -> Vec<Effect> {
        self.list.loaded = true;
        self.status.clear_error_about(ErrorAbout::List);
        self.offline.synced_at = Some(self.now);
        self.offline.cached_at = None;
        let Listed::Fresh(value) = page else { return vec![] };
        let keep = self.list.selected().map(|c| c.id.clone());
        self.list.page_arrived(page_no, value);
        self.remember_first_page();
        if self.list.to_end {
            // On to the new last row, which asks for the next page at once (none at the end or the cap).
            let effects = self.select(usize::MAX);
            self.list.to_end = self.requests.awaits(|p| *p == Purpose::ListPage);
            return effects;
        }
        self.reselect(keep)
    }

    /// A request failed: the feature that sent it decides what the agent is told.
    fn failed(&mut self, purpose: Purpose, e: BackendError) -> Vec<Effect> {
        let reason = e.to_string();
        match purpose {
            Purpose::Change { before, change } => return self.change_refused(&change, *before, &e),
            Purpose::NotificationAction => return self.notification_failed(&crate::app::status::reason(&e)),
            Purpose::Templates(_) | Purpose::Canned(_) => self.overlays.list_failed(&reason),
            // Only the server's ordering by use misses one count: nothing the agent needs to hear about.
            Purpose::CannedUsed => tracing::info!(error = %e, "a canned response's use was not counted"),
            Purpose::SendTemplate(_) => self.template_failed(&e),
            Purpose::MarkRead(_) | Purpose::Reread(_) => {}
            Purpose::TakeNext => return self.take_failed(&e),
            Purpose::Send { conversation_id, kind } => return self.message_failed(&conversation_id, kind, &e),
            Purpose::SaveContact(_) | Purpose::AddComment(_) => {
                self.overlays.form_refused(crate::app::status::reason(&e));
            }
            // A count that cannot be read is shown as unknown; it does not deserve the status line.
            Purpose::Count(_) => {}
            Purpose::ListPage => {
                self.list.load_failed(&reason);
                self.set_error_about(ErrorAbout::List, reason);
            }
            Purpose::Contact(cid) => {
                let cached = self.offline.contacts.get(&cid);
                self.detail.contact_failed(&cid, &reason, cached);
            }
            Purpose::Detail(cid) => {
                let (contact, session) = (self.offline.contacts.get(&cid), self.offline.sessions.get(&cid));
                self.detail.failed(&cid, &reason, contact, session);
            }
            Purpose::Thread(cid) => {
                if let Some(t) = self.thread_of(&cid) {
                    t.messages_failed(&reason);
                }
                self.compose.thread_unreadable(&cid, &reason);
            }
            Purpose::ThreadConversation(cid) => {
                if let Some(t) = self.thread_of(&cid) {
                    t.conversation_failed(&reason);
                }
            }
            Purpose::OlderMessages(_) => self.set_error(reason),
            Purpose::Activities(cid) => {
                if let Some(t) = self.thread_of(&cid) {
                    t.activities_failed(&reason);
                }
                self.activities = false;
                self.set_error(format!("Activities could not be read: {}", crate::app::status::reason(&e)));
            }
            Purpose::Me | Purpose::Agents | Purpose::Labels | Purpose::Notifications => {
                self.overlays.list_failed(&reason);
                self.set_error(reason);
            }
        }
        vec![]
    }
}
