//! The organisation every route is tried against: the demo accounts, and a case managed by
//! demo-manager with everything a route may name (a contact, a promise, a task, a conference,
//! a consultation, an assessment, a file, a referral, a request and its payment, an advocacy
//! report, a policy review with an action), and how a route's path is filled with their ids.

use crate::common::{self, TestServer};

/// Ids the routes' parameters are filled with.
pub(crate) struct Ids {
    attachment: String,
    user: String,
    client: String,
    case: String,
    contact: String,
    promise: String,
    task: String,
    /// A conference on the case, chaired by demo-supervisor, with draft minutes.
    conference: String,
    /// A consultation thread on the case, asked by demo-manager.
    consultation: String,
    /// demo-manager's account (a worker of the supervisor's unit).
    manager: String,
    /// The handover of a second case, opened by demo-supervisor and transferred to demo-manager.
    handover: String,
    /// The psychologist's notification of the task assigned to them (theirs alone).
    notification: String,
    assessment: String,
    template: String,
    not_on_team: String,
    /// A directory provider with a location and a service.
    provider: String,
    location: String,
    service: String,
    /// A referral of the case to that service, ended early, with its alert.
    referral: String,
    alert: String,
    /// An emergency-cash programme with a budget for this fiscal year.
    programme: String,
    budget: String,
    /// An approved request of the case in it, partly paid.
    allocation: String,
    /// That payment's ledger entry.
    entry: String,
    /// An advocacy report written by demo-manager, submitted for approval.
    report: String,
    /// An open policy review of the last fiscal year, started by demo-supervisor.
    policy_review: String,
    /// Its action, owned by demo-manager.
    policy_action: String,
    /// The complexity suggestion made when the case was registered.
    suggestion: String,
    /// An emergency opening of the case by a duty officer of no part in it (break-the-glass).
    emergency: String,
    /// An access request (PDPA) about the case's client, recorded by demo-manager.
    data_request: String,
}

pub(crate) fn concrete(path: &str, ids: &Ids) -> String {
    let id = if path.contains("data-requests/") && !path.contains("persons/") {
        &ids.data_request
    } else if path.contains("advocacy") {
        &ids.report
    } else if path.contains("policy-actions/") {
        &ids.policy_action
    } else if path.contains("/policy/") || path.contains("policy-reviews/") {
        &ids.policy_review
    } else if path.contains("suggestions/") {
        &ids.suggestion
    } else if path.contains("emergency-access/") {
        &ids.emergency
    } else if path.contains("referral-alerts/") {
        &ids.alert
    } else if path.contains("programmes/") {
        &ids.programme
    } else if path.contains("budgets/") {
        &ids.budget
    } else if path.contains("budget-entries/") {
        &ids.entry
    } else if path.contains("/allocations/") && !path.contains("cases/") {
        &ids.allocation
    } else if path.contains("/referrals/") && !path.contains("cases/") {
        &ids.referral
    } else if path.contains("resources/providers/") {
        &ids.provider
    } else if path.contains("resources/services/") {
        &ids.service
    } else if path.contains("resources/locations/") {
        &ids.location
    } else if path.starts_with("/conferences/") || path.starts_with("/api/v1/conferences/") {
        &ids.conference
    } else if path.starts_with("/consultations/") || path.starts_with("/api/v1/consultations/") {
        &ids.consultation
    } else if path.starts_with("/caseload/") || path.starts_with("/api/v1/caseload/") {
        &ids.manager
    } else if path.starts_with("/handovers/") || path.starts_with("/api/v1/handovers/") {
        &ids.handover
    } else if path.starts_with("/contacts/") || path.starts_with("/api/v1/contacts/") {
        &ids.contact
    } else if path.starts_with("/promises/") || path.starts_with("/api/v1/promises/") {
        &ids.promise
    } else if path.starts_with("/tasks/") || path.starts_with("/api/v1/tasks/") {
        &ids.task
    } else if path.starts_with("/inbox/") || path.starts_with("/api/v1/me/notifications/") {
        &ids.notification
    } else if path.starts_with("/assessments/") || path.starts_with("/api/v1/assessments/") {
        &ids.assessment
    } else if path.contains("assessment-templates/") {
        &ids.template
    } else if path.starts_with("/attachments/") || path.starts_with("/api/v1/attachments/") {
        &ids.attachment
    } else if path.starts_with("/api/v1/persons/") || path.starts_with("/persons/") {
        &ids.client
    } else if path.contains("cases/") {
        &ids.case
    } else {
        &ids.user
    };
    let code = if path.contains("case-types/") {
        "other"
    } else if path.contains("provinces/") {
        "50"
    } else {
        "5001"
    };
    path.replace("{*path}", "karuna.css")
        .replace("{id}", id)
        .replace("{code}", code)
        .replace("{account_id}", &ids.not_on_team)
        .replace("{number}", "1")
        .replace("{n}", "1")
        .replace("{follow_up}", &ids.case)
        .replace("{case}", &ids.case)
        .replace("{intervention}", &ids.case)
}

/// A case managed by demo-manager in the office unit, with demo-psychologist on its team, a
/// contact and a promise.
pub(crate) async fn seed_case(server: &TestServer) -> Ids {
    use karuna_app::Ctx;
    let app = &server.app;
    let ctx = Ctx::default();
    let manager = app
        .login("demo-manager", common::DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let input = karuna_app::intake::IntakeInput {
        client: karuna_domain::person::PersonInput {
            first_name_th: "ทดสอบ".into(),
            ..Default::default()
        },
        consent: karuna_app::intake::ConsentInput {
            status: "granted".into(),
            ..Default::default()
        },
        referral_source: "self".into(),
        presenting_problem: "ทดสอบสิทธิ์".into(),
        case_types: vec!["other".into()],
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        ..Default::default()
    };
    let created = app.intake(&manager, &ctx, &input).await.unwrap();
    let case = created.case_id;
    let psychologist = server.user_id("demo-psychologist").await;
    app.add_team_member(&manager, &ctx, case, psychologist, "")
        .await
        .unwrap();
    let contact = karuna_domain::contact::ContactInput {
        kind: "phone_call".into(),
        date: "01/11/2569".into(),
        note: "โทรติดตาม".into(),
        ..Default::default()
    };
    let contact = app
        .add_contact(&manager, &ctx, case, &contact)
        .await
        .unwrap();
    let promise = karuna_domain::promise::PromiseInput {
        what: "โทรกลับ".into(),
        due: "01/01/2570".into(),
        ..Default::default()
    };
    let promise = app
        .add_promise(&manager, &ctx, case, &promise)
        .await
        .unwrap();
    let task = karuna_domain::task::TaskInput {
        title: "ประสานโรงเรียน".into(),
        assignee_id: psychologist.to_string(),
        due: "01/01/2580".into(),
        ..Default::default()
    };
    let task = app.add_task(&manager, &ctx, case, &task).await.unwrap();
    let supervisor = app
        .login("demo-supervisor", common::DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let conference = karuna_domain::conference::ConferenceInput {
        title: "ประชุมทีมสหวิชาชีพ".into(),
        date: "10/01/2580".into(),
        time: "09:30".into(),
        place: "ห้องประชุม".into(),
        chair_id: supervisor.actor.id.to_string(),
        cases: vec![case.to_string()],
        staff_ids: vec![psychologist.to_string()],
        ..Default::default()
    };
    let conference = app
        .schedule_conference(&supervisor, &ctx, &conference)
        .await
        .unwrap();
    let minutes = karuna_domain::conference::MinutesInput {
        client_views: "อยากกลับบ้าน".into(),
        ..Default::default()
    };
    app.save_minutes(&manager, &ctx, conference, case, &minutes)
        .await
        .unwrap();
    let conference = conference.to_string();
    let second = app.intake(&supervisor, &ctx, &input).await.unwrap().case_id;
    app.transfer_case(
        &supervisor,
        &ctx,
        second,
        &karuna_app::case::Transfer {
            version: 1,
            to_manager: manager.actor.id,
            reason: "มอบหมายผู้จัดการรายกรณี",
            handover_note: "ยังไม่ได้เยี่ยมบ้าน",
        },
    )
    .await
    .unwrap();
    let handover: String = sqlx::query_scalar("SELECT id FROM case_handover WHERE case_id = $1")
        .bind(second.to_string())
        .fetch_one(app.db.read())
        .await
        .unwrap();
    let consultation = karuna_domain::consultation::ConsultationInput {
        subject: "ควรส่งต่อหรือไม่".into(),
        question: "ครอบครัวไม่ยินยอม".into(),
        mention_ids: vec![psychologist.to_string()],
    };
    let consultation = app
        .ask(&manager, &ctx, case, &consultation)
        .await
        .unwrap()
        .to_string();
    let notification: String = sqlx::query_scalar(
        "SELECT id FROM notification WHERE entity_id = $1 AND kind = 'task_assigned'",
    )
    .bind(task.to_string())
    .fetch_one(app.db.read())
    .await
    .unwrap();
    let consent = karuna_app::consent::ConsentChange {
        person_id: created.client_id.to_string(),
        purpose: "sharing".into(),
        agency: "สำนักงานแรงงานจังหวัด".into(),
        status: "granted".into(),
        ..Default::default()
    };
    let file = karuna_app::attachment::UploadedFile {
        filename: "consent.pdf".into(),
        bytes: b"%PDF-1.4 test".to_vec(),
    };
    app.record_consent_with_file(&manager, &ctx, case, &consent, Some(&file))
        .await
        .unwrap();
    let attachment = karuna_store::attachment::of_case(&app.db, case)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let assessment = app
        .start_assessment(&manager, &ctx, case, "holistic")
        .await
        .unwrap()
        .to_string();
    let template =
        karuna_store::assessment::latest_published(&app.db, manager.actor.org_id, "safety")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
    let admin = app
        .login("demo-admin", common::DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let provider = app
        .create_provider(
            &admin,
            &ctx,
            &karuna_domain::resource::OrganizationInput {
                name: "บ้านพักเด็กและครอบครัวทดสอบ".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let location = app
        .create_location(
            &admin,
            &ctx,
            provider,
            &karuna_domain::resource::LocationInput {
                name: "สำนักงาน".into(),
                province_code: "50".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let service = app
        .create_service(
            &admin,
            &ctx,
            provider,
            &karuna_domain::resource::ServiceInput {
                name: "ที่พักฉุกเฉิน".into(),
                categories: vec!["shelter".into()],
                areas: vec!["50".into()],
                location_id: location.to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let referral = app
        .create_referral(
            &manager,
            &ctx,
            case,
            &karuna_domain::referral::ReferralInput {
                service_id: service.to_string(),
                need: "ที่พักปลอดภัย".into(),
                requested_service: "ที่พักฉุกเฉิน".into(),
                area_reason: "ใกล้ที่ทำงานของมารดา".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut version = 1;
    for step in ["send", "accept", "start", "end_early"] {
        version = app
            .step_referral(
                &manager,
                &ctx,
                referral,
                &karuna_domain::referral::StepInput {
                    version,
                    step: step.into(),
                    reason: "ผู้รับบริการออกจากบ้านพัก".into(),
                    ended_by: "หัวหน้าบ้านพัก".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let alert = karuna_store::referral::alerts_of_case(&app.db, case)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let (programme, budget, allocation, entry) = seed_allocation(app, &admin, &manager, case).await;
    let report = app
        .create_advocacy_report(
            &manager,
            &ctx,
            &karuna_domain::advocacy::NewReportInput {
                kind: "advocacy".into(),
                title: "ที่พักฉุกเฉินไม่พอ".into(),
                audience: "executives".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.advocacy_step(
        &manager,
        &ctx,
        report,
        &karuna_domain::advocacy::StepInput {
            version: 1,
            step: "submit".into(),
            reason: String::new(),
        },
    )
    .await
    .unwrap();
    let (policy_review, policy_action) = seed_policy_review(app, &manager).await;
    let suggestion = app
        .case_suggestions(&manager, &ctx, case)
        .await
        .unwrap()
        .list
        .first()
        .map(|s| s.row.id.to_string())
        .expect("the intake screened the case");
    let emergency = seed_emergency(server, case).await;
    let data_request = app
        .record_data_request(
            &manager,
            &ctx,
            created.client_id,
            &karuna_domain::data_request::RequestInput {
                kind: "access".into(),
                received_on: karuna_thai::calendar::bangkok_date(chrono::Utc::now()).to_string(),
                details: "ขอสำเนาข้อมูล".into(),
            },
        )
        .await
        .unwrap()
        .to_string();
    Ids {
        data_request,
        policy_review,
        policy_action,
        suggestion,
        emergency,
        report: report.to_string(),
        programme,
        budget,
        allocation,
        entry,
        referral: referral.to_string(),
        alert,
        provider: provider.to_string(),
        location: location.to_string(),
        service: service.to_string(),
        assessment,
        template,
        attachment,
        user: psychologist.to_string(),
        client: created.client_id.to_string(),
        case: case.to_string(),
        contact: contact.to_string(),
        promise: promise.to_string(),
        task: task.to_string(),
        conference,
        consultation,
        manager: manager.actor.id.to_string(),
        handover,
        notification,
        not_on_team: server.user_id("demo-analyst").await.to_string(),
    }
}

/// A duty officer (a case manager of no unit, on no case) who opens `case` in an emergency:
/// the opening's id.
async fn seed_emergency(server: &TestServer, case: uuid::Uuid) -> String {
    use karuna_app::Ctx;
    let app = &server.app;
    let ctx = Ctx::default();
    let admin = app
        .login("demo-admin", common::DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let password = "เวรสายด่วน-1300-กลางคืน";
    app.create_user(
        &admin,
        &ctx,
        karuna_app::account::NewUserInput {
            username: "duty-1300".into(),
            display_name: "เวร สายด่วน".into(),
            role: "case_manager".into(),
            password: Some(password.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let duty = app.login("duty-1300", password, &ctx).await.unwrap().user;
    app.break_glass(
        &duty,
        &ctx,
        case,
        &karuna_domain::emergency_access::EmergencyInput {
            reason: "สายด่วน 1300 แจ้งเหตุด่วนเกี่ยวกับผู้รับบริการ".into(),
        },
    )
    .await
    .unwrap()
    .id
    .to_string()
}

/// An open policy review of the last fiscal year started by demo-supervisor, with an action
/// owned by `manager`: (review, action).
pub(crate) async fn seed_policy_review(
    app: &karuna_app::App,
    manager: &karuna_app::CurrentUser,
) -> (String, String) {
    use karuna_domain::policy_review::{NewItemInput, NewReviewInput};
    let ctx = karuna_app::Ctx::default();
    let supervisor = app
        .login("demo-supervisor", common::DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let year = karuna_thai::calendar::fiscal_year_be(karuna_thai::calendar::bangkok_date(
        chrono::Utc::now(),
    ));
    let review = app
        .create_policy_review(
            &supervisor,
            &ctx,
            &NewReviewInput {
                title: "ทบทวนนโยบายปีที่แล้ว".into(),
                period: format!("fy-{}", year - 1),
            },
        )
        .await
        .unwrap();
    let action = app
        .add_policy_item(
            &supervisor,
            &ctx,
            review,
            &NewItemInput {
                kind: "action".into(),
                area: "follow_up".into(),
                text: "โทรติดตามผู้รับบริการหลังปิดรายกรณีทุกราย".into(),
                owner_id: manager.actor.id.to_string(),
                due: "2099-12-31".into(),
            },
        )
        .await
        .unwrap();
    (review.to_string(), action.to_string())
}

/// An emergency-cash programme (case managers up to 3,000 baht, supervisors up to 20,000) with
/// a 50,000-baht budget this fiscal year, and a 1,000-baht request of `case` approved by its
/// case manager and 500 baht paid: (programme, budget, request, payment entry).
pub(crate) async fn seed_allocation(
    app: &karuna_app::App,
    admin: &karuna_app::CurrentUser,
    manager: &karuna_app::CurrentUser,
    case: uuid::Uuid,
) -> (String, String, String, String) {
    use karuna_domain::gatekeeping::{AuthorityInput, DecisionInput, ProgrammeInput, RequestInput};
    let ctx = karuna_app::Ctx::default();
    let programme = app
        .create_programme(
            admin,
            &ctx,
            &ProgrammeInput {
                name_th: "เงินสงเคราะห์ฉุกเฉิน".into(),
                unit: "baht".into(),
                authorities: vec![
                    AuthorityInput {
                        role: "case_manager".into(),
                        limit: "3000".into(),
                        ..Default::default()
                    },
                    AuthorityInput {
                        role: "supervisor".into(),
                        limit: "20000".into(),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let year = karuna_thai::calendar::fiscal_year_be(karuna_thai::calendar::bangkok_date(
        chrono::Utc::now(),
    ));
    let budget = app
        .allocate_budget(
            admin,
            &ctx,
            programme,
            &karuna_app::budget::BudgetInput {
                fiscal_year: year,
                amount: "50000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let request = app
        .request_allocation(
            manager,
            &ctx,
            case,
            &RequestInput {
                programme_id: programme.to_string(),
                amount: "1000".into(),
                purpose: "ค่าเดินทางไปโรงพยาบาล".into(),
                justification: "ไม่มีรายได้".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.decide_allocation(
        manager,
        &ctx,
        request,
        &DecisionInput {
            decision: "approve".into(),
            version: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let entry = app
        .disburse(
            manager,
            &ctx,
            request,
            &karuna_app::budget::DisbursementInput {
                amount: "500".into(),
                method: "cash".into(),
                receipt_ref: "RC-1".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    (
        programme.to_string(),
        budget.to_string(),
        request.to_string(),
        entry.to_string(),
    )
}
