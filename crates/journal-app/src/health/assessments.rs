//! Questionnaire results: scoring through `journal-core`, encryption under the user's metrics
//! key, and the change against earlier results.

use journal_core::assessments::{Change, InstrumentId, Score};
use journal_core::ids::new_id;
use journal_core::metrics::{Assessment, AssessmentContent, open_assessment, seal_assessment};
use journal_core::time_util::now;
use journal_core::validate::ValidationError;
use journal_crypto::SymmetricKey;

use crate::App;
use crate::UnlockedUser;
use crate::damaged::DamagedItem;
use crate::error::ServiceError;

/// A questionnaire this journal offers; an unknown one, or one the operator has not turned on
/// (or has turned off), is a 422 naming the choices.
pub fn instrument(app: &App, id: &str) -> Result<InstrumentId, ServiceError> {
    match InstrumentId::parse(id) {
        Some(i) if app.settings.offers(i) => Ok(i),
        Some(i) => Err(ValidationError::new(
            "instrument",
            format!("The {} questionnaire is not offered on this journal.", i.short_name()),
        )
        .into()),
        None => Err(ValidationError::new(
            "instrument",
            format!("Choose {}.", journal_core::assessments::id_list(&app.settings.offered_instruments())),
        )
        .into()),
    }
}

pub struct Submitted {
    pub assessment: Assessment,
    pub score: Score,
    pub change: Option<Change>,
}

/// How long a questionnaire form's token is remembered: resending the same form within it
/// answers the first result.
const TOKEN_SECONDS: i64 = 86_400;

/// A form token: what `form_token()` makes, or near enough to be harmless to hash and keep.
fn check_token(token: &str) -> Result<&str, ServiceError> {
    let t = token.trim();
    if t.is_empty() || t.len() > 64 || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(ServiceError::invalid(
            "submission",
            "This form is out of date. Please reload the page and answer again; nothing was saved.",
        ));
    }
    Ok(t)
}

/// A random token for a questionnaire form, so that sending it twice stores one result.
pub fn form_token() -> String {
    new_id()
}

/// Scores and stores a result. With a form token, the same form sent again (a double click, a
/// resubmission) stores nothing new and answers the result it produced the first time.
pub async fn submit(
    app: &App,
    who: &UnlockedUser,
    id: &str,
    answers: &[i64],
    token: Option<&str>,
) -> Result<Submitted, ServiceError> {
    let instrument = instrument(app, id)?;
    let token = token.map(check_token).transpose()?;
    let score = instrument.instrument().score(answers)?;
    let key = crate::health::metrics_key::key(app, who).await?;
    let earlier = history(app, who, &key, Some(instrument)).await?;
    let content = AssessmentContent {
        answers: answers.iter().map(|&a| a as u8).collect(),
        total: score.total,
        severity: score.severity.to_owned(),
        self_harm: score.self_harm,
    };
    let taken_at = now();
    let record = seal_assessment(who, &key, &new_id(), instrument, taken_at, &content);
    let stored = match token {
        Some(t) => {
            let hash = journal_crypto::sha256(t.as_bytes());
            app.store.insert_assessment_once(&record, &hash, taken_at - TOKEN_SECONDS).await?
        }
        None => {
            app.store.insert_assessment(&record).await?;
            record.id.clone()
        }
    };
    if stored != record.id {
        // Sent before: answer the first result as it was.
        let all = history(app, who, &key, None).await?;
        let Some(pos) = all.iter().position(|a| a.id == stored) else {
            return Err(ServiceError::not_found());
        };
        let assessment = all[pos].clone();
        let earlier: Vec<Assessment> =
            all[pos + 1..].iter().filter(|e| e.instrument == assessment.instrument).cloned().collect();
        let score = assessment
            .instrument
            .instrument()
            .score(&assessment.content.answers.iter().map(|&a| i64::from(a)).collect::<Vec<_>>())?;
        let change = assessment.change_against(&earlier);
        return Ok(Submitted { assessment, score, change });
    }
    let assessment = open_assessment(&key, &record).map_err(|_| ServiceError::internal())?;
    let change = assessment.change_against(&earlier);
    Ok(Submitted { assessment, score, change })
}

/// Results, newest first, decrypted; a damaged result is left out (and logged once), so one bad
/// row never hides the others or breaks a score's change.
pub async fn history(
    app: &App,
    who: &UnlockedUser,
    key: &SymmetricKey,
    instrument: Option<InstrumentId>,
) -> Result<Vec<Assessment>, ServiceError> {
    Ok(history_checked(app, who, key, instrument).await?.0)
}

/// As `history`, with the results that can't be opened (damaged) named apart.
pub async fn history_checked(
    app: &App,
    who: &UnlockedUser,
    key: &SymmetricKey,
    instrument: Option<InstrumentId>,
) -> Result<(Vec<Assessment>, Vec<DamagedItem>), ServiceError> {
    let records = app.store.list_assessments(who.id(), instrument.map(InstrumentId::as_str)).await?;
    let mut results = Vec::with_capacity(records.len());
    let mut damaged = Vec::new();
    for r in &records {
        match open_assessment(key, r) {
            Ok(a) => results.push(a),
            Err(_) => {
                crate::damaged::note("assessment", &r.id);
                damaged.push(DamagedItem { id: r.id.clone(), date: journal_core::time_util::rfc3339(r.taken_at) });
            }
        }
    }
    Ok((results, damaged))
}
