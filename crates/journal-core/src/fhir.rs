//! Questionnaire results as a FHIR R4 Bundle, for a clinic's records (docs/CLINICAL.md §12): one
//! QuestionnaireResponse per result (answers coded with their LOINC answer codes where the
//! instrument has them) and one total-score Observation derived from it.

use serde_json::{Value, json};

use crate::metrics::Assessment;
use crate::time_util::rfc3339;

const LOINC: &str = "http://loinc.org";

fn answer(option: Option<&crate::assessments::AnswerOption>, value: u8) -> Value {
    match option {
        Some(o) if o.loinc.is_some() => {
            json!({"valueCoding": {"system": LOINC, "code": o.loinc, "display": o.label}})
        }
        _ => json!({"valueInteger": value}),
    }
}

fn link_id(loinc: Option<&str>, n: usize) -> String {
    loinc.map(|c| format!("/{c}")).unwrap_or_else(|| format!("/item-{n}"))
}

/// A `collection` Bundle of every result, oldest first. `patient` is the subject's logical id.
pub fn bundle(patient: &str, results: &[Assessment]) -> Value {
    let subject = json!({"reference": format!("Patient/{patient}")});
    let mut entries = Vec::new();
    for a in results {
        let i = a.instrument.instrument();
        let qr_id = format!("qr-{}", a.id);
        let mut items = Vec::new();
        for (n, (item, &value)) in i.items.iter().zip(&a.content.answers).enumerate() {
            let option = i.options.iter().find(|o| o.value == value);
            items.push(
                json!({"linkId": link_id(item.loinc, n + 1), "text": item.text, "answer": [answer(option, value)]}),
            );
        }
        if let Some(total_code) = i.total_loinc {
            items.push(json!({"linkId": format!("/{total_code}"), "text": format!("{} total score", i.title), "answer": [{"valueInteger": a.content.total}]}));
        }
        if let (Some((extra, options)), Some(&value)) = (i.extra_item, a.content.answers.get(i.items.len())) {
            let option = options.iter().find(|o| o.value == value);
            items.push(json!({"linkId": link_id(extra.loinc, i.items.len() + 1), "text": extra.text, "answer": [answer(option, value)]}));
        }
        let authored = rfc3339(a.taken_at);
        let questionnaire = match i.panel_loinc {
            Some(code) => format!("http://loinc.org/q/{code}"),
            None => format!("urn:therapy-journal:questionnaire:{}", a.instrument.as_str()),
        };
        entries.push(json!({
            "fullUrl": format!("urn:uuid:{}", uuid_like(&qr_id)),
            "resource": {
                "resourceType": "QuestionnaireResponse",
                "id": qr_id,
                "questionnaire": questionnaire,
                "status": "completed",
                "subject": subject,
                "authored": authored,
                "source": subject,
                "item": items,
            }
        }));
        let band = i
            .bands
            .iter()
            .find(|b| b.min <= a.content.total && a.content.total <= b.max)
            .map(|b| b.label)
            .unwrap_or("");
        let code = match i.total_loinc {
            Some(c) => {
                json!({"coding": [{"system": LOINC, "code": c, "display": format!("{} total score", i.title)}], "text": format!("{} total score", i.title)})
            }
            None => json!({"text": format!("{} total score", i.title)}),
        };
        let obs_id = format!("total-{}", a.id);
        entries.push(json!({
            "fullUrl": format!("urn:uuid:{}", uuid_like(&obs_id)),
            "resource": {
                "resourceType": "Observation",
                "id": obs_id,
                "status": "final",
                "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}],
                "code": code,
                "subject": subject,
                "effectiveDateTime": authored,
                "performer": [subject],
                "valueQuantity": {"value": a.content.total, "unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"},
                "interpretation": [{"text": band}],
                "derivedFrom": [{"reference": format!("QuestionnaireResponse/{qr_id}")}],
            }
        }));
    }
    json!({"resourceType": "Bundle", "type": "collection", "timestamp": rfc3339(crate::time_util::now()), "entry": entries})
}

/// A stable UUID-shaped name for a resource (version 8, "custom"), so the same export twice
/// gives the same `fullUrl`s.
fn uuid_like(name: &str) -> String {
    let h = journal_crypto::sha256(name.as_bytes());
    let hex: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-8{}-{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::InstrumentId;
    use crate::metrics::AssessmentContent;

    #[test]
    fn a_phq9_becomes_a_coded_response_and_a_total_observation() {
        let answers = vec![2, 2, 2, 1, 1, 1, 1, 0, 0, 1];
        let score =
            InstrumentId::Phq9.instrument().score(&answers.iter().map(|a| i64::from(*a)).collect::<Vec<_>>()).unwrap();
        let a = Assessment {
            id: "a1".into(),
            instrument: InstrumentId::Phq9,
            taken_at: 1_735_809_300,
            content: AssessmentContent {
                answers,
                total: score.total,
                severity: score.severity.into(),
                self_harm: false,
            },
        };
        let b = bundle("client42", &[a]);
        assert_eq!((b["resourceType"].as_str(), b["type"].as_str()), (Some("Bundle"), Some("collection")));
        let qr = &b["entry"][0]["resource"];
        assert_eq!(qr["resourceType"], "QuestionnaireResponse");
        assert_eq!(qr["questionnaire"], "http://loinc.org/q/44249-1");
        assert_eq!(qr["authored"], "2025-01-02T09:15:00Z");
        assert_eq!(qr["item"][0]["linkId"], "/44250-9");
        assert_eq!(qr["item"][0]["answer"][0]["valueCoding"]["code"], "LA6570-1");
        let total = qr["item"].as_array().unwrap().iter().find(|i| i["linkId"] == "/44261-6").unwrap();
        assert_eq!(total["answer"][0]["valueInteger"], 10);
        let difficulty = qr["item"].as_array().unwrap().iter().find(|i| i["linkId"] == "/69722-7").unwrap();
        assert_eq!(difficulty["answer"][0]["valueCoding"]["code"], "LA6573-5");
        let obs = &b["entry"][1]["resource"];
        assert_eq!(obs["code"]["coding"][0]["code"], "44261-6");
        assert_eq!(obs["valueQuantity"]["value"], 10);
        assert_eq!(obs["category"][0]["coding"][0]["code"], "survey");
        assert_eq!(obs["derivedFrom"][0]["reference"], "QuestionnaireResponse/qr-a1");
        assert!(obs["interpretation"][0]["text"].as_str().unwrap().to_lowercase().contains("moderate"));
        assert_eq!(bundle("client42", &[])["entry"], json!([]));
    }

    fn result(id: &str, instrument: InstrumentId, answers: Vec<u8>) -> Assessment {
        let score = instrument.instrument().score(&answers.iter().map(|a| i64::from(*a)).collect::<Vec<_>>()).unwrap();
        Assessment {
            id: id.into(),
            instrument,
            taken_at: 1_735_809_300,
            content: AssessmentContent {
                answers,
                total: score.total,
                severity: score.severity.into(),
                self_harm: score.self_harm,
            },
        }
    }

    /// The short forms and the PSS-10 carry LOINC codes only where verified (CLINICAL.md §12).
    #[test]
    fn new_instruments_carry_only_verified_codes() {
        let b = bundle(
            "c",
            &[
                result("p2", InstrumentId::Phq2, vec![2, 1]),
                result("p4", InstrumentId::Phq4, vec![1, 0, 2, 2]),
                result("s", InstrumentId::Pss10, vec![2, 3, 1, 1, 3, 2, 0, 4, 0, 4]),
            ],
        );
        let e = |n: usize| &b["entry"][n]["resource"];
        // PHQ-2: panel 55757-9, total 55758-7, items as the PHQ-9's first two.
        assert_eq!(e(0)["questionnaire"], "http://loinc.org/q/55757-9");
        assert_eq!(e(0)["item"][0]["linkId"], "/44250-9");
        assert_eq!(e(0)["item"][1]["answer"][0]["valueCoding"]["code"], "LA6569-3");
        assert_eq!(e(0)["item"][2]["linkId"], "/55758-7");
        assert_eq!(e(0)["item"][2]["answer"][0]["valueInteger"], 3);
        assert_eq!(e(1)["code"]["coding"][0]["code"], "55758-7");
        // PHQ-4: no verified panel or total code, so text only.
        assert_eq!(e(2)["questionnaire"], "urn:therapy-journal:questionnaire:phq4");
        assert_eq!(e(2)["item"].as_array().unwrap().len(), 4);
        assert!(e(3)["code"].get("coding").is_none());
        assert_eq!(e(3)["valueQuantity"]["value"], 5);
        // PSS-10: the answers as given (not reversed), the reversed total, no codes.
        assert_eq!(e(4)["questionnaire"], "urn:therapy-journal:questionnaire:pss10");
        assert_eq!(e(4)["item"][3]["linkId"], "/item-4");
        assert_eq!(e(4)["item"][3]["answer"][0]["valueInteger"], 1);
        assert_eq!(e(5)["valueQuantity"]["value"], 20);
        assert_eq!(e(5)["interpretation"][0]["text"], "Moderate perceived stress");
    }
}
