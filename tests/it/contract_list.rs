//! The conversation list over HTTP: pages read one after another make the whole list once, and any change to
//! the store shows in the next page read (the reference server keeps each order until the store changes).

use crate::common::{self, fresh};
use tinbox::backend::*;
use tinbox::server::ServerOptions;

#[tokio::test]
async fn pages_make_the_list_once_and_a_change_shows_in_the_next_read() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let q = |page, limit| ConversationQuery { page, limit, ..Default::default() };
    let whole = fresh(alice.conversations(&q(1, 100), false).await.unwrap());
    let ids = |items: &[tinbox::domain::Conversation]| items.iter().map(|c| c.id.to_string()).collect::<Vec<_>>();
    let mut paged = Vec::new();
    for page in 1..=whole.total.div_ceil(7) as u32 {
        paged.extend(ids(&fresh(alice.conversations(&q(page, 7), false).await.unwrap()).items));
    }
    assert_eq!(paged.len() as u64, whole.total, "the pages hold every conversation");
    let distinct: std::collections::HashSet<&String> = paged.iter().collect();
    assert_eq!(distinct.len(), paged.len(), "no conversation on two pages");
    assert_eq!(paged[..whole.items.len()], ids(&whole.items), "pages of 7 in a row begin as the page of 100");

    // The oldest conversation hears from its customer: the next read of page 1 starts with it.
    let oldest = paged.last().cloned().expect("rows");
    s.with_store(|st| {
        let idx = st.conversations.iter().position(|c| c.id == oldest).expect("listed");
        st.add_message(idx, None, false, "Any news?", chrono::Utc::now());
    });
    let first = fresh(alice.conversations(&q(1, 7), false).await.unwrap());
    assert_eq!(first.items.first().map(|c| c.id.to_string()), Some(oldest));
    assert_eq!(first.total, whole.total);
}
