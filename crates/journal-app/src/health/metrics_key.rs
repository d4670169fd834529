//! The metrics key: one random key per user that mood check-ins, questionnaire results and the
//! shared goals digest are sealed under, wrapped by the user's data key. It is created on first
//! use, boxed to each therapist a client shares health data with, and replaced after a link ends.

use journal_core::bridge::{GOALS_DIGEST, goals_digest_aad, metrics_aad};
use journal_core::metrics::{new_metrics_key, open_assessment, open_mood, unwrap_metrics_key};
use journal_core::time_util::now;
use journal_crypto::{SymmetricKey, box_key, open, seal};

use crate::{App, ServiceError, UnlockedUser};

fn crypto_failed() -> ServiceError {
    tracing::error!("a metrics key failed to open");
    ServiceError::internal()
}

/// The user's metrics key, created on first use.
pub async fn key(app: &App, who: &UnlockedUser) -> Result<SymmetricKey, ServiceError> {
    // A link ended since the last time: replace the key before anything new is sealed under it.
    rotate_if_pending(app, who).await?;
    let wrapped = match app.store.metrics_key(who.id()).await? {
        Some(w) => w,
        None => {
            let (_, wrapped) = new_metrics_key(who);
            app.store.create_metrics_key(who.id(), &wrapped, now()).await?
        }
    };
    unwrap_metrics_key(who, &wrapped).map_err(|_| {
        tracing::error!("a metrics key failed to unwrap with its owner's data key");
        ServiceError::internal()
    })
}

/// After a link ends, the client's metrics key is replaced and everything under it sealed again,
/// so a key the therapist may have kept opens nothing new.
pub async fn rotate_if_pending(app: &App, who: &UnlockedUser) -> Result<(), ServiceError> {
    if !app.store.metrics_rotation_pending(who.id()).await? {
        return Ok(());
    }
    let Some(wrapped) = app.store.metrics_key(who.id()).await? else { return Ok(()) };
    let old = unwrap_metrics_key(who, &wrapped).map_err(|_| crypto_failed())?;
    let (new_key, new_wrapped) = journal_core::metrics::new_metrics_key(who);
    let moods = app.store.list_moods(who.id(), i64::MIN, i64::MAX).await?;
    let mut resealed_moods = Vec::with_capacity(moods.len());
    // A damaged row opens under no key; it is left as it is rather than blocking the rotation.
    for r in &moods {
        let Ok(m) = open_mood(&old, r) else {
            crate::damaged::note("mood", &r.id);
            continue;
        };
        resealed_moods.push(journal_core::metrics::seal_mood(who, &new_key, &m.id, m.at, &m.content));
    }
    let assessments = app.store.list_assessments(who.id(), None).await?;
    let mut resealed = Vec::with_capacity(assessments.len());
    for r in &assessments {
        let Ok(a) = open_assessment(&old, r) else {
            crate::damaged::note("assessment", &r.id);
            continue;
        };
        resealed.push(journal_core::metrics::seal_assessment(
            who,
            &new_key,
            &a.id,
            a.instrument,
            a.taken_at,
            &a.content,
        ));
    }
    let pair = who.key_pair().ok_or_else(crypto_failed)?;
    let mut boxes = Vec::new();
    for c in app.store.connections(who.id()).await? {
        if c.client_id != who.id() || c.metrics_box.is_none() {
            continue;
        }
        let Some(therapist) = app.store.user_by_id(&c.therapist_id).await? else { continue };
        let b = box_key(&pair, &therapist.public_key, &new_key, &metrics_aad(&c.id, who.id()))
            .map_err(|_| crypto_failed())?;
        boxes.push((c.id.clone(), b));
    }
    app.store.rotate_metrics(who.id(), &new_wrapped, &resealed_moods, &resealed, &boxes).await?;
    // The goals digest is sealed under the metrics key too.
    if let Some((blob, _)) = app.store.document(who.id(), GOALS_DIGEST).await?.filter(|(b, _)| !b.is_empty()) {
        let json = open(&old, &goals_digest_aad(who.id()), &blob).map_err(|_| crypto_failed())?;
        app.store
            .put_document(who.id(), GOALS_DIGEST, &seal(&new_key, &goals_digest_aad(who.id()), &json), now())
            .await?;
    }
    Ok(())
}
