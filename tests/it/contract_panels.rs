//! The contact panels over HTTP: one version for the four reads, checked with one conditional request, and
//! changed by any change to one of them.

use crate::common;
use tinbox::backend::*;
use tinbox::server::ServerOptions;

#[tokio::test]
async fn the_panels_version_holds_until_one_of_the_four_changes() {
    let s = common::server(ServerOptions::default()).await;
    let alice = common::client(&s, "alice");
    let contact_id = s.with_store(|st| st.contacts[0].id.clone());
    let Listed::Fresh(first) = alice.detail(&contact_id, None).await.unwrap() else { panic!("a first read is fresh") };
    assert!(first.contact.is_ok() && first.session.is_ok() && first.comments.is_ok() && first.files.is_ok());
    let version = first.version.clone().expect("the four reads carry one version");

    let again = alice.detail(&contact_id, Some(&version)).await.unwrap();
    assert_eq!(again, Listed::Unchanged, "nothing changed: one conditional read says so");

    // A colleague comments on the contact: the same question now brings the four parts again, comment included.
    common::client(&s, "bruno").add_comment(&contact_id, "Called back, all sorted").await.unwrap();
    let Listed::Fresh(fresh) = alice.detail(&contact_id, Some(&version)).await.unwrap() else {
        panic!("a comment changes the panels' version")
    };
    assert_ne!(fresh.version.as_deref(), Some(version.as_str()));
    let comments = fresh.comments.unwrap();
    assert_eq!(comments.first().map(|c| c.text.as_str()), Some("Called back, all sorted"));
}
