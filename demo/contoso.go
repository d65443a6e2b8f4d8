package demo

import (
	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

// buildContoso adds Contoso: ten users, eight teams, five periods, 35 items
// and eleven views.
func buildContoso(ds *goalpost.Dataset) {
	b := newBuilder(ds, &goalpost.Organization{
		ID:          ContosoID,
		Name:        "Contoso",
		Terminology: goalpost.DefaultTerminology,
		CreatedAt:   timestamp("2025-01-06 08:30:00"),
	}, 5000001)

	// Managers come before their reports, so that a store may insert in order.
	b.user(PattiID, PattiUPN, "Patti Fernandez", uuid.Nil, goalpost.RoleAdmin)
	b.user(AdeleID, AdeleUPN, "Adele Vance", PattiID, goalpost.RoleOwner)
	b.user(NestorID, NestorUPN, "Nestor Wilke", PattiID, goalpost.RoleAdmin)
	b.user(LeeID, LeeUPN, "Lee Gu", PattiID, goalpost.RoleMember)
	b.user(DiegoID, DiegoUPN, "Diego Siciliani", PattiID, goalpost.RoleMember)
	b.user(IsaiahID, IsaiahUPN, "Isaiah Langer", DiegoID, goalpost.RoleMember)
	b.user(AlexID, AlexUPN, "Alex Wilber", AdeleID, goalpost.RoleMember)
	b.user(LynneID, LynneUPN, "Lynne Robbins", NestorID, goalpost.RoleMember)
	b.user(HenriettaID, HenriettaUPN, "Henrietta Mueller", LeeID, goalpost.RoleMember)
	b.user(JoniID, JoniUPN, "Joni Sherman", NestorID, goalpost.RoleObserver)

	b.team(goalpost.Team{ID: ContosoLeadershipTeamID, Name: "Leadership", OwnerID: PattiID, Type: "department",
		Members: ids(PattiID, AdeleID, NestorID, LeeID, DiegoID)})
	b.team(goalpost.Team{ID: ContosoSalesTeamID, Name: "Sales", OwnerID: DiegoID, Type: "department",
		Members: ids(DiegoID, IsaiahID)})
	b.team(goalpost.Team{ID: ContosoSalesEMEATeamID, Name: "Sales – EMEA", ParentID: ContosoSalesTeamID, OwnerID: IsaiahID,
		Type: "region", Members: ids(IsaiahID)})
	b.team(goalpost.Team{ID: ContosoMarketingTeamID, Name: "Marketing", OwnerID: AlexID, Type: "department",
		Members: ids(AlexID, AdeleID)})
	b.team(goalpost.Team{ID: ContosoEngineeringTeamID, Name: "Engineering", OwnerID: LeeID, Type: "department",
		Members: ids(LeeID, HenriettaID)})
	b.team(goalpost.Team{ID: ContosoPlatformTeamID, Name: "Platform", ParentID: ContosoEngineeringTeamID, OwnerID: HenriettaID,
		Type: "squad", Members: ids(HenriettaID)})
	b.team(goalpost.Team{ID: ContosoOperationsTeamID, Name: "Operations", OwnerID: NestorID, Type: "department",
		Members: ids(NestorID, LynneID, JoniID)})
	b.team(goalpost.Team{ID: ContosoRetailPilotTeamID, Name: "Retail Pilot", ParentID: ContosoOperationsTeamID, OwnerID: LynneID,
		Type: "squad", Archived: true, Members: ids(LynneID)})

	b.period(ContosoQ1PeriodID, "Q1 2025", "2025-01-01", "2025-03-31")
	b.period(ContosoQ2PeriodID, "Q2 2025", "2025-04-01", "2025-06-30")
	b.period(ContosoQ3PeriodID, "Q3 2025", "2025-07-01", "2025-09-30")
	b.period(ContosoQ4PeriodID, "Q4 2025", "2025-10-01", "2025-12-31")
	b.period(ContosoAnnualPeriodID, "Annual 2025", "2025-01-01", "2025-12-31")

	contosoGrowth(b)
	contosoExpansion(b)
	contosoPlatform(b)
	contosoPeople(b)

	b.defaultViews(AdeleID, timestamp("2025-01-06 08:30:00"), [7]uuid.UUID{
		ContosoAllObjectivesViewID, ContosoAllMyObjectivesViewID, ContosoOverdueViewID, ContosoNotUpdatedViewID,
		ContosoAtRiskOrBehindViewID, ContosoRecentlyCompletedViewID, ContosoUnalignedViewID,
	})
	b.view(goalpost.ExplorerView{
		ID:         ContosoPrivateViewID,
		Name:       "Diego's sales pipeline",
		Visibility: goalpost.ViewPrivate,
		CreatorID:  DiegoID,
		Filter: goalpost.ViewFilter{
			Teams: ids(ContosoSalesTeamID, ContosoSalesEMEATeamID),
			Kinds: []goalpost.ItemKind{objective, keyResult},
		},
		CreatedAt: timestamp("2025-10-02 07:45:10"),
	})
	b.view(goalpost.ExplorerView{
		ID:         ContosoBusinessReviewViewID,
		Name:       "Quarterly business review",
		Visibility: goalpost.ViewPublic,
		CreatorID:  PattiID,
		Filter:     goalpost.ViewFilter{Levels: []goalpost.Level{orgLevel}},
		Export: goalpost.ExportSettings{
			Columns: []string{
				"Id", "Title", "Owner", "Period", "Progress %", "Status", "Last Check-in", "Last Check-in Note",
			},
			Tags:            goalpost.TagsOneColumn,
			IncludeChildren: true,
		},
		CreatedAt: timestamp("2025-03-24 13:05:00"),
	})
	b.view(goalpost.ExplorerView{
		ID:         ContosoCompanyObjectivesViewID,
		Name:       "Company objectives",
		Visibility: goalpost.ViewPublic,
		CreatorID:  AdeleID,
		Filter: goalpost.ViewFilter{
			Kinds:  []goalpost.ItemKind{objective},
			Levels: []goalpost.Level{orgLevel},
		},
		TopLevelOnly: true,
		CreatedAt:    timestamp("2025-01-10 10:00:00"),
	})
	b.view(goalpost.ExplorerView{
		ID:         ContosoGrowthTagsViewID,
		Name:       "Growth OKRs by tag",
		Visibility: goalpost.ViewPublic,
		CreatorID:  AdeleID,
		Filter:     goalpost.ViewFilter{Tags: []string{"growth", "revenue", "expansion"}},
		Export:     goalpost.ExportSettings{Tags: goalpost.TagsPerColumn},
		CreatedAt:  timestamp("2025-04-07 09:20:00"),
	})
}

// contosoGrowth is the company's growth objective: revenue (with the sales
// pipeline under it), customer loyalty and churn.
func contosoGrowth(b *builder) {
	b.item(goalpost.Item{
		ID: ContosoGrowthObjectiveID, Kind: objective, Level: orgLevel,
		Title:       "Grow Contoso into the leading smart-retail platform",
		Description: "Our 2025 company objective, agreed at the January offsite: more revenue, happier customers, fewer of them leaving.",
		TeamIDs:     ids(ContosoLeadershipTeamID), OwnerIDs: ids(PattiID, AdeleID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, GoalType: committed, Tags: []string{"company", "growth"},
		ProgressMode: rollup, Progress: 45, Status: onTrack,
		CreatedAt: timestamp("2025-01-06 09:02:11"),
	})
	b.checkIn(ContosoGrowthObjectiveID, AdeleID, "2025-06-30", "2025-06-30 17:05:12", onTrack, 30,
		"Half-year review: revenue on plan, NPS lagging.")
	b.checkIn(ContosoGrowthObjectiveID, PattiID, "2025-11-14", "2025-11-14 16:40:03", onTrack, 45,
		"ARR and NPS are moving in the right direction; churn is still behind plan.")

	b.item(goalpost.Item{
		ID: ContosoARRKeyResultID, Kind: keyResult, Level: orgLevel,
		Title:       "Grow annual recurring revenue from $10M to $12M",
		Description: "Counted from signed subscriptions in the billing system, in US dollars.",
		TeamIDs:     ids(ContosoLeadershipTeamID, ContosoSalesTeamID), OwnerIDs: ids(DiegoID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, GoalType: committed, Tags: []string{"revenue"},
		Metric: goalpost.Metric{
			Name: "Annual recurring revenue", Unit: "$", Start: 10_000_000, Target: 12_000_000,
			Direction: goalpost.DirectionIncreaseFrom,
		},
		Current: 10_900_000, Progress: 45, Status: onTrack,
		CreatedAt: timestamp("2025-01-06 09:10:45"),
	})
	b.checkIn(ContosoARRKeyResultID, DiegoID, "2025-03-31", "2025-04-01 08:15:00", onTrack, 10_250_000,
		"Q1 closed at $10.25M ARR.")
	b.checkIn(ContosoARRKeyResultID, DiegoID, "2025-06-30", "2025-06-30 18:22:41", behind, 10_480_000,
		"Two renewals slipped into July.")
	b.checkIn(ContosoARRKeyResultID, DiegoID, "2025-09-30", "2025-09-30 19:03:27", onTrack, 10_700_000,
		"Both July renewals signed, plus three upsells.")
	b.checkIn(ContosoARRKeyResultID, DiegoID, "2025-11-14", "2025-11-14 15:12:55", onTrack, 10_900_000,
		"The Q4 pipeline covers the remaining $1.1M one and a half times.")

	b.item(goalpost.Item{
		ID: ContosoPipelineObjectiveID, Kind: objective, Level: teamLevel,
		Title:       "Build a predictable enterprise sales pipeline",
		Description: "Fewer surprises at quarter end.",
		TeamIDs:     ids(ContosoSalesTeamID), OwnerIDs: ids(DiegoID), CreatorID: DiegoID,
		PeriodID: ContosoQ4PeriodID, Tags: []string{"revenue"},
		ProgressMode: rollup, Progress: 55, Status: onTrack,
		CreatedAt: timestamp("2025-10-01 08:05:00"),
	})
	b.checkIn(ContosoPipelineObjectiveID, DiegoID, "2025-12-05", "2025-12-05 16:00:00", onTrack, 55,
		"Weekly pipeline reviews are in place; EMEA needs the new office to pay off.")

	b.item(goalpost.Item{
		ID: ContosoQualifiedPipelineKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Grow qualified pipeline from $2M to $5M",
		TeamIDs: ids(ContosoSalesTeamID), OwnerIDs: ids(IsaiahID), CreatorID: DiegoID,
		PeriodID: ContosoQ4PeriodID,
		Metric: goalpost.Metric{
			Name: "Qualified pipeline", Unit: "$", Start: 2_000_000, Target: 5_000_000,
			Direction: goalpost.DirectionIncreaseFrom,
		},
		Current: 3_800_000, Progress: 60, Status: onTrack,
		CreatedAt: timestamp("2025-10-01 08:12:30"),
	})
	b.checkIn(ContosoQualifiedPipelineKeyResultID, IsaiahID, "2025-10-06", "2025-10-06 09:41:18", onTrack, 2_300_000,
		"Kick-off: 14 open opportunities.")
	b.checkIn(ContosoQualifiedPipelineKeyResultID, IsaiahID, "2025-10-20", "2025-10-20 10:02:44", onTrack, 2_750_000,
		"The retail expo in Las Vegas brought 6 qualified leads.")
	b.checkIn(ContosoQualifiedPipelineKeyResultID, IsaiahID, "2025-11-03", "2025-11-03 09:55:09", behind, 3_100_000,
		`Two large deals, "Tailspin" and "Litware", pushed their decision to January.`)
	b.checkIn(ContosoQualifiedPipelineKeyResultID, IsaiahID, "2025-11-17", "2025-11-17 10:20:31", onTrack, 3_500_000,
		"Recovered with three mid-market opportunities.")
	b.checkIn(ContosoQualifiedPipelineKeyResultID, IsaiahID, "2025-12-01", "2025-12-01 08:47:52", onTrack, 3_800_000,
		"On pace for $5M by year end.")

	b.item(goalpost.Item{
		ID: ContosoPipelineReviewsInitiativeID, Kind: initiative, Level: teamLevel,
		Title:   "Run weekly pipeline reviews with every account executive",
		TeamIDs: ids(ContosoSalesTeamID), OwnerIDs: ids(DiegoID), CreatorID: DiegoID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 75, Status: onTrack,
		CreatedAt: timestamp("2025-10-01 08:20:00"),
	})
	b.checkIn(ContosoPipelineReviewsInitiativeID, DiegoID, "2025-11-28", "2025-11-28 17:10:00", onTrack, 75,
		"Running with 6 of 8 account executives.")

	b.item(goalpost.Item{
		ID: ContosoEMEACustomersKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:       "Sign 12 new enterprise customers in EMEA",
		Description: "Counts the DACH, Benelux and Nordic regions.",
		TeamIDs:     ids(ContosoSalesEMEATeamID), OwnerIDs: ids(IsaiahID), CreatorID: IsaiahID,
		PeriodID: ContosoQ4PeriodID, GoalType: committed, Tags: []string{"emea", "expansion"},
		Metric: goalpost.Metric{
			Name: "New enterprise customers", Unit: "customers", Start: 0, Target: 12,
			Direction: goalpost.DirectionReach,
		},
		Current: 6, Progress: 50, Status: behind,
		CreatedAt: timestamp("2025-10-01 09:00:00"),
	})
	b.checkIn(ContosoEMEACustomersKeyResultID, IsaiahID, "2025-10-15", "2025-10-15 14:30:00", onTrack, 2,
		"Two signed in October: Zürich and Munich.")
	b.checkIn(ContosoEMEACustomersKeyResultID, IsaiahID, "2025-11-12", "2025-11-12 13:45:27", behind, 4,
		"Legal review slows down the Swiss contracts.")
	b.checkIn(ContosoEMEACustomersKeyResultID, IsaiahID, "2025-12-03", "2025-12-03 15:20:10", behind, 6,
		"Six signed; the new Zürich office should speed up December.")

	b.item(goalpost.Item{
		ID: ContosoZurichOfficeInitiativeID, Kind: initiative, Level: teamLevel,
		Title:       "Open the Zürich sales office",
		Description: "Sign the lease for the Zürich office, hire a \"Country Lead DACH\" and move the EMEA team in.\nBudget: CHF 250,000.",
		TeamIDs:     ids(ContosoSalesEMEATeamID), OwnerIDs: ids(IsaiahID, NestorID), CreatorID: IsaiahID,
		PeriodID: ContosoQ4PeriodID, Tags: []string{"emea"},
		Progress: 100, Status: closed, Score: score(1),
		CreatedAt: timestamp("2025-10-01 09:05:00"),
	})
	b.checkIn(ContosoZurichOfficeInitiativeID, IsaiahID, "2025-10-31", "2025-10-31 11:00:00", onTrack, 60,
		"Lease signed, fit-out under way.")
	b.checkIn(ContosoZurichOfficeInitiativeID, NestorID, "2025-11-21", "2025-11-21 16:45:00", closed, 100,
		"Office opened on 21 November; first customer meeting the same day.")

	b.item(goalpost.Item{
		ID: ContosoGermanProposalsInitiativeID, Kind: initiative, Level: teamLevel,
		Title:   "Translate the proposal templates into German",
		TeamIDs: ids(ContosoSalesEMEATeamID), OwnerIDs: ids(IsaiahID), CreatorID: IsaiahID,
		PeriodID: ContosoQ4PeriodID, Tags: []string{"emea"},
		Progress: 40, Status: onTrack,
		CreatedAt: timestamp("2025-10-01 09:07:00"),
	})
	b.checkIn(ContosoGermanProposalsInitiativeID, IsaiahID, "2025-11-20", "2025-11-20 09:30:00", onTrack, 40,
		"4 of 10 templates translated and reviewed.")

	b.item(goalpost.Item{
		ID: ContosoNPSKeyResultID, Kind: keyResult, Level: orgLevel,
		Title:       "Raise net promoter score from 32 to 45",
		Description: "Measured by the quarterly customer survey.",
		TeamIDs:     ids(ContosoMarketingTeamID), OwnerIDs: ids(AlexID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"customer"},
		Metric: goalpost.Metric{
			Name: "Net promoter score", Unit: "number", Start: 32, Target: 45,
			Direction: goalpost.DirectionIncreaseFrom,
		},
		Current: 38.5, Progress: 50, Status: onTrack,
		CreatedAt: timestamp("2025-01-06 09:14:02"),
	})
	b.checkIn(ContosoNPSKeyResultID, AlexID, "2025-03-28", "2025-03-28 15:00:00", onTrack, 34,
		"Q1 survey: 34, up from 32.")
	b.checkIn(ContosoNPSKeyResultID, AlexID, "2025-06-27", "2025-06-27 15:10:00", behind, 36,
		"Slow support replies still hurt the score.")
	b.checkIn(ContosoNPSKeyResultID, AlexID, "2025-09-26", "2025-09-26 14:55:00", onTrack, 38.5,
		`Post-purchase "what went wrong?" follow-ups, plus faster support replies, lifted the score.`)

	b.item(goalpost.Item{
		ID: ContosoAdvisoryBoardInitiativeID, Kind: initiative, Level: teamLevel,
		Title:   "Launch the customer advisory board",
		TeamIDs: ids(ContosoMarketingTeamID), OwnerIDs: ids(AlexID, AdeleID), CreatorID: AlexID,
		PeriodID: ContosoQ2PeriodID, Tags: []string{"customer"},
		Progress: 100, Status: closed, Score: score(0.9),
		CreatedAt: timestamp("2025-04-02 10:30:00"),
	})
	b.checkIn(ContosoAdvisoryBoardInitiativeID, AlexID, "2025-05-15", "2025-05-15 10:00:00", onTrack, 50,
		"8 customers agreed to join.")
	b.checkIn(ContosoAdvisoryBoardInitiativeID, AdeleID, "2025-06-26", "2025-06-26 12:00:00", closed, 100,
		"First board meeting held in Seattle with 11 customers.")

	b.item(goalpost.Item{
		ID: ContosoFeedbackKiosksInitiativeID, Kind: initiative, Level: teamLevel,
		Title:       "Refresh the in-store feedback kiosks",
		Description: "Needs an owner once the store tablets run Retail 3.0.",
		TeamIDs:     ids(ContosoMarketingTeamID), CreatorID: AlexID,
		PeriodID: ContosoQ4PeriodID, Tags: []string{"customer"},
		Progress: 0, Status: notStarted,
		CreatedAt: timestamp("2025-10-03 14:00:00"),
	})

	b.item(goalpost.Item{
		ID: ContosoChurnKeyResultID, Kind: keyResult, Level: orgLevel,
		Title:       "Reduce monthly churn rate from 4% to 2.5%",
		Description: "Share of paying stores that cancel or downgrade in a month.",
		TeamIDs:     ids(ContosoOperationsTeamID), OwnerIDs: ids(NestorID, LynneID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, GoalType: committed, Tags: []string{"customer"},
		Metric: goalpost.Metric{
			Name: "Churn rate", Unit: "%", Start: 4, Target: 2.5,
			Direction: goalpost.DirectionDecreaseFrom,
		},
		Current: 3.4, Progress: 40, Status: behind,
		CreatedAt: timestamp("2025-01-06 09:16:40"),
	})
	b.checkIn(ContosoChurnKeyResultID, NestorID, "2025-06-30", "2025-06-30 11:11:11", behind, 3.7,
		"Churn down to 3.7%, slower than planned.")
	b.checkIn(ContosoChurnKeyResultID, LynneID, "2025-11-10", "2025-11-10 10:30:45", behind, 3.4,
		"Downgrade calls help, but two chains left over pricing.")

	b.item(goalpost.Item{
		ID: ContosoDowngradeCallsInitiativeID, Kind: initiative, Level: teamLevel,
		Title:   "Call every account that downgraded in the last 90 days",
		TeamIDs: ids(ContosoOperationsTeamID), OwnerIDs: ids(LynneID), CreatorID: NestorID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 30, Status: behind,
		CreatedAt: timestamp("2025-10-02 11:00:00"),
	})
	b.checkIn(ContosoDowngradeCallsInitiativeID, LynneID, "2025-11-07", "2025-11-07 16:00:00", behind, 30,
		"Reached 42 of 140 accounts.")

	b.align(ContosoARRKeyResultID, ContosoGrowthObjectiveID, 40)
	b.align(ContosoPipelineObjectiveID, ContosoARRKeyResultID, 100)
	b.align(ContosoQualifiedPipelineKeyResultID, ContosoPipelineObjectiveID, 50)
	b.align(ContosoPipelineReviewsInitiativeID, ContosoQualifiedPipelineKeyResultID, 100)
	b.align(ContosoEMEACustomersKeyResultID, ContosoPipelineObjectiveID, 50) // first parent
	b.align(ContosoEMEACustomersKeyResultID, ContosoExpansionObjectiveID, 25)
	b.align(ContosoZurichOfficeInitiativeID, ContosoEMEACustomersKeyResultID, 50)
	b.align(ContosoGermanProposalsInitiativeID, ContosoEMEACustomersKeyResultID, 50)
	b.align(ContosoNPSKeyResultID, ContosoGrowthObjectiveID, 30)
	b.align(ContosoAdvisoryBoardInitiativeID, ContosoNPSKeyResultID, 60)
	b.align(ContosoFeedbackKiosksInitiativeID, ContosoNPSKeyResultID, 40)
	b.align(ContosoChurnKeyResultID, ContosoGrowthObjectiveID, 30)
	b.align(ContosoDowngradeCallsInitiativeID, ContosoChurnKeyResultID, 100)
}

// contosoExpansion is the push into DACH and APAC; the EMEA customers key
// result of the growth tree contributes to it too.
func contosoExpansion(b *builder) {
	b.item(goalpost.Item{
		ID: ContosoExpansionObjectiveID, Kind: objective, Level: orgLevel,
		Title:       "Expand into the DACH and APAC markets",
		Description: "First customers, partners and a localized product outside North America.",
		TeamIDs:     ids(ContosoLeadershipTeamID, ContosoSalesEMEATeamID), OwnerIDs: ids(AdeleID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"expansion", "growth"},
		ProgressMode: rollup, Progress: 53.75, Status: onTrack,
		CreatedAt: timestamp("2025-01-07 10:00:00"),
	})

	b.item(goalpost.Item{
		ID: ContosoTokyoPartnersKeyResultID, Kind: keyResult, Level: orgLevel,
		Title:       "Sign 4 reseller partners in Tokyo (東京)",
		Description: "Resellers in 東京 and Osaka, each with a certified pre-sales engineer.",
		TeamIDs:     ids(ContosoSalesTeamID), OwnerIDs: ids(DiegoID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"apac", "expansion"},
		Metric: goalpost.Metric{
			Name: "Reseller partners", Unit: "partners", Start: 0, Target: 4,
			Direction: goalpost.DirectionReach,
		},
		Current: 1, Progress: 25, Status: atRisk,
		CreatedAt: timestamp("2025-01-07 10:05:00"),
	})
	b.checkIn(ContosoTokyoPartnersKeyResultID, DiegoID, "2025-07-15", "2025-07-15 02:30:00", onTrack, 1,
		"First reseller signed in 東京.")
	b.checkIn(ContosoTokyoPartnersKeyResultID, DiegoID, "2025-10-14", "2025-10-14 01:45:00", atRisk, 1,
		"Two candidates withdrew; we need a local partner manager.")

	b.item(goalpost.Item{
		ID: ContosoJapaneseGuideInitiativeID, Kind: initiative, Level: teamLevel,
		Title:   "Translate the partner onboarding guide into Japanese",
		TeamIDs: ids(ContosoSalesTeamID), OwnerIDs: ids(DiegoID), CreatorID: DiegoID,
		PeriodID: ContosoQ4PeriodID, Tags: []string{"apac"},
		Progress: 60, Status: onTrack,
		CreatedAt: timestamp("2025-10-01 10:00:00"),
	})
	b.checkIn(ContosoJapaneseGuideInitiativeID, DiegoID, "2025-10-20", "2025-10-20 03:00:00", onTrack, 60,
		"Chapters 1–6 translated; the Osaka partner reviews them next.")

	b.item(goalpost.Item{
		ID: ContosoLocalizationKeyResultID, Kind: keyResult, Level: orgLevel,
		Title:   "Localize Contoso Retail into German and Japanese",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(HenriettaID), CreatorID: LeeID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"expansion"},
		Progress: 70, Status: onTrack,
		CreatedAt: timestamp("2025-01-08 11:30:00"),
	})
	b.checkIn(ContosoLocalizationKeyResultID, HenriettaID, "2025-08-29", "2025-08-29 13:00:00", onTrack, 40,
		"German strings done.")
	b.checkIn(ContosoLocalizationKeyResultID, HenriettaID, "2025-11-21", "2025-11-21 13:30:00", onTrack, 70,
		"Japanese strings in review.")

	b.align(ContosoTokyoPartnersKeyResultID, ContosoExpansionObjectiveID, 25)
	b.align(ContosoJapaneseGuideInitiativeID, ContosoTokyoPartnersKeyResultID, 100)
	b.align(ContosoLocalizationKeyResultID, ContosoExpansionObjectiveID, 50)
}

// contosoPlatform is engineering's objective, with the Retail 3.0 release
// and its seven equally weighted key results.
func contosoPlatform(b *builder) {
	b.item(goalpost.Item{
		ID: ContosoPlatformObjectiveID, Kind: objective, Level: orgLevel,
		Title:   "Deliver a platform retailers trust",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(LeeID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, GoalType: committed, Tags: []string{"company", "platform"},
		ProgressMode: rollup, Progress: 60, Status: onTrack,
		CreatedAt: timestamp("2025-01-06 09:20:00"),
	})
	b.checkIn(ContosoPlatformObjectiveID, LeeID, "2025-12-01", "2025-12-01 18:00:00", onTrack, 60,
		"Incidents well down; 3.0 is at risk because of the accessibility audit.")

	b.item(goalpost.Item{
		ID: ContosoRetail3ObjectiveID, Kind: objective, Level: teamLevel,
		Title:       "Ship Contoso Retail 3.0 to every store",
		Description: "Seven milestones, weighted equally.",
		TeamIDs:     ids(ContosoEngineeringTeamID, ContosoPlatformTeamID), OwnerIDs: ids(LeeID, HenriettaID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID, GoalType: committed, Tags: []string{"platform"},
		ProgressMode: rollup, Progress: 50, Status: atRisk,
		CreatedAt: timestamp("2025-07-01 09:00:00"),
	})
	b.checkIn(ContosoRetail3ObjectiveID, LeeID, "2025-11-28", "2025-11-28 18:30:00", atRisk, 50,
		"Accessibility findings and the offline-mode regression put the date at risk.")

	b.item(goalpost.Item{
		ID: ContosoScopeFreezeKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Freeze the 3.0 scope with product and sales",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(LeeID), CreatorID: LeeID,
		PeriodID: ContosoQ3PeriodID, GoalType: committed,
		Progress: 100, Status: closed, Score: score(1),
		CreatedAt: timestamp("2025-07-01 09:05:00"),
	})
	b.checkIn(ContosoScopeFreezeKeyResultID, LeeID, "2025-07-18", "2025-07-18 12:00:00", onTrack, 50,
		"Draft scope shared with sales.")
	b.checkIn(ContosoScopeFreezeKeyResultID, LeeID, "2025-08-01", "2025-08-01 12:00:00", closed, 100,
		"Scope frozen and signed off.")

	b.item(goalpost.Item{
		ID: ContosoDesignSystemKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Roll out the new design system to every screen",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(HenriettaID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 80, Status: closed, Score: score(0.8),
		CreatedAt: timestamp("2025-10-01 09:30:00"),
	})
	b.checkIn(ContosoDesignSystemKeyResultID, HenriettaID, "2025-10-31", "2025-10-31 17:00:00", closed, 80,
		"Rolled out to 80% of screens; the rest moves to 3.1.")

	b.item(goalpost.Item{
		ID: ContosoCheckoutAPIKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Release the checkout API v3",
		TeamIDs: ids(ContosoPlatformTeamID), OwnerIDs: ids(HenriettaID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 70, Status: onTrack,
		CreatedAt: timestamp("2025-10-01 09:32:00"),
	})
	b.checkIn(ContosoCheckoutAPIKeyResultID, HenriettaID, "2025-10-10", "2025-10-10 15:00:00", onTrack, 30,
		"Contract reviewed with two payment partners.")
	b.checkIn(ContosoCheckoutAPIKeyResultID, HenriettaID, "2025-10-31", "2025-10-31 15:00:00", onTrack, 55,
		"Payments and refunds endpoints done.")
	b.checkIn(ContosoCheckoutAPIKeyResultID, HenriettaID, "2025-11-21", "2025-11-21 15:00:00", onTrack, 70,
		"Load test at 2,000 requests per second passed.")

	b.item(goalpost.Item{
		ID: ContosoAccessibilityKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Pass the WCAG 2.2 AA accessibility audit",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(HenriettaID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 50, Status: atRisk,
		CreatedAt: timestamp("2025-10-01 09:34:00"),
	})
	b.checkIn(ContosoAccessibilityKeyResultID, HenriettaID, "2025-10-24", "2025-10-24 16:20:00", onTrack, 30,
		"Audit booked.")
	b.checkIn(ContosoAccessibilityKeyResultID, HenriettaID, "2025-11-21", "2025-11-21 16:25:00", atRisk, 50,
		"The auditor found 14 contrast and focus issues.")

	b.item(goalpost.Item{
		ID: ContosoOfflineModeKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Ship offline mode for store tablets",
		TeamIDs: ids(ContosoPlatformTeamID), OwnerIDs: ids(HenriettaID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 50, Status: reopened,
		CreatedAt: timestamp("2025-10-01 09:36:00"),
	})
	b.checkIn(ContosoOfflineModeKeyResultID, HenriettaID, "2025-10-17", "2025-10-17 14:00:00", onTrack, 30,
		"Sync engine merged.")
	b.checkIn(ContosoOfflineModeKeyResultID, LeeID, "2025-11-07", "2025-11-07 14:00:00", closed, 50,
		"Shipped to the beta branch.")
	b.checkIn(ContosoOfflineModeKeyResultID, HenriettaID, "2025-11-19", "2025-11-19 09:10:00", reopened, 50,
		"Reopened: data loss when a tablet sleeps during sync.")

	b.item(goalpost.Item{
		ID: ContosoPilotStoresKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Run a beta with 5 pilot stores",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(LynneID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID,
		Metric: goalpost.Metric{
			Name: "Pilot stores live", Unit: "stores", Start: 0, Target: 5,
			Direction: goalpost.DirectionReach,
		},
		Current: 0, Progress: 0, Status: notStarted,
		CreatedAt: timestamp("2025-10-01 09:38:00"),
	})

	b.item(goalpost.Item{
		ID: ContosoPublicLaunchKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Launch Retail 3.0 publicly",
		TeamIDs: ids(ContosoEngineeringTeamID), OwnerIDs: ids(LeeID), CreatorID: LeeID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 0, Status: postponed,
		CreatedAt: timestamp("2025-10-01 09:40:00"),
	})
	b.checkIn(ContosoPublicLaunchKeyResultID, LeeID, "2025-11-28", "2025-11-28 18:20:00", postponed, 0,
		"Moved to Q1 2026 after the beta slipped.")

	b.item(goalpost.Item{
		ID: ContosoIncidentsKeyResultID, Kind: keyResult, Level: orgLevel,
		Title:   "Cut P1 incidents from 12 to 4 per quarter",
		TeamIDs: ids(ContosoEngineeringTeamID, ContosoPlatformTeamID), OwnerIDs: ids(LeeID), CreatorID: AdeleID,
		PeriodID: ContosoAnnualPeriodID, GoalType: committed, Tags: []string{"platform"},
		Metric: goalpost.Metric{
			Name: "P1 incidents per quarter", Unit: "number", Start: 12, Target: 4,
			Direction: goalpost.DirectionDecreaseFrom,
		},
		Current: 6, Progress: 75, Status: onTrack,
		CreatedAt: timestamp("2025-01-06 09:25:00"),
	})
	b.checkIn(ContosoIncidentsKeyResultID, LeeID, "2025-09-30", "2025-09-30 20:00:00", onTrack, 8,
		"8 P1s in Q3, down from 12.")
	b.checkIn(ContosoIncidentsKeyResultID, LeeID, "2025-11-28", "2025-11-28 18:10:00", onTrack, 6,
		"6 P1s so far in Q4.")

	b.align(ContosoRetail3ObjectiveID, ContosoPlatformObjectiveID, 60)
	for _, id := range []int64{
		ContosoScopeFreezeKeyResultID, ContosoDesignSystemKeyResultID, ContosoCheckoutAPIKeyResultID,
		ContosoAccessibilityKeyResultID, ContosoOfflineModeKeyResultID, ContosoPilotStoresKeyResultID,
		ContosoPublicLaunchKeyResultID,
	} {
		b.align(id, ContosoRetail3ObjectiveID, 100.0/7)
	}
	b.align(ContosoIncidentsKeyResultID, ContosoPlatformObjectiveID, 40)
}

// contosoPeople is the rest: people, the restricted acquisition objective,
// individual objectives and a closed Q1 objective.
func contosoPeople(b *builder) {
	b.item(goalpost.Item{
		ID: ContosoWorkplaceObjectiveID, Kind: objective, Level: teamLevel,
		Title:   "Make Contoso a great place to work",
		TeamIDs: ids(ContosoOperationsTeamID), OwnerIDs: ids(NestorID), CreatorID: NestorID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"people"},
		ProgressMode: rollup, Progress: 31.25, Status: atRisk,
		CreatedAt: timestamp("2025-01-09 13:00:00"),
	})
	b.checkIn(ContosoWorkplaceObjectiveID, NestorID, "2025-11-14", "2025-11-14 12:00:00", atRisk, 31.25,
		"Engagement is flat; hiring picks up again in January.")

	b.item(goalpost.Item{
		ID: ContosoEngagementKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Raise the employee engagement score from 68 to 80",
		TeamIDs: ids(ContosoOperationsTeamID), OwnerIDs: ids(LynneID), CreatorID: NestorID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"people"},
		Metric: goalpost.Metric{
			Name: "Employee engagement score", Unit: "number", Start: 68, Target: 80,
			Direction: goalpost.DirectionIncreaseFrom,
		},
		Current: 71, Progress: 25, Status: atRisk,
		CreatedAt: timestamp("2025-01-09 13:05:00"),
	})
	b.checkIn(ContosoEngagementKeyResultID, LynneID, "2025-05-30", "2025-05-30 10:00:00", onTrack, 69,
		"Spring pulse survey: 69.")
	b.checkIn(ContosoEngagementKeyResultID, LynneID, "2025-10-31", "2025-10-31 10:00:00", atRisk, 71,
		"Autumn survey: 71; workload is the top complaint.")

	b.item(goalpost.Item{
		ID: ContosoHiringKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Hire 8 engineers for the Platform squad",
		TeamIDs: ids(ContosoOperationsTeamID), OwnerIDs: ids(NestorID, LeeID), CreatorID: NestorID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"people"},
		Metric: goalpost.Metric{
			Name: "Engineers hired", Unit: "people", Start: 0, Target: 8,
			Direction: goalpost.DirectionReach,
		},
		Current: 3, Progress: 37.5, Status: behind,
		CreatedAt: timestamp("2025-01-09 13:10:00"),
	})
	b.checkIn(ContosoHiringKeyResultID, NestorID, "2025-06-30", "2025-06-30 09:00:00", onTrack, 1,
		"The first platform engineer starts in July.")
	b.checkIn(ContosoHiringKeyResultID, LeeID, "2025-10-15", "2025-10-15 09:00:00", behind, 3,
		"Three hired; two offers declined over relocation.")

	b.item(goalpost.Item{
		ID: ContosoAcquisitionObjectiveID, Kind: objective, Level: teamLevel,
		Title:       "Prepare the acquisition of Northwind Traders",
		Description: "Due diligence with the Northwind board. Do not share outside the deal team.",
		TeamIDs:     ids(ContosoSalesTeamID), OwnerIDs: ids(DiegoID), CreatorID: DiegoID,
		PeriodID: ContosoAnnualPeriodID, Tags: []string{"confidential"},
		Progress: 20, Status: onTrack, Visibility: goalpost.VisibilityRestricted,
		CreatedAt: timestamp("2025-09-01 08:00:00"),
	})
	b.checkIn(ContosoAcquisitionObjectiveID, DiegoID, "2025-09-12", "2025-09-12 18:30:00", onTrack, 20,
		"Due diligence started; NDA signed.")

	b.item(goalpost.Item{
		ID: ContosoCertificationObjectiveID, Kind: objective, Level: individual,
		Title:    "Earn the Azure Solutions Architect Expert certification",
		OwnerIDs: ids(HenriettaID), CreatorID: HenriettaID,
		PeriodID: ContosoAnnualPeriodID,
		Progress: 40, Status: onTrack,
		CreatedAt: timestamp("2025-02-03 08:00:00"),
	})
	b.checkIn(ContosoCertificationObjectiveID, HenriettaID, "2025-09-05", "2025-09-05 19:45:00", onTrack, 40,
		"AZ-104 passed; studying for AZ-305.")

	b.item(goalpost.Item{
		ID: ContosoAZ305KeyResultID, Kind: keyResult, Level: individual,
		Title:    "Pass the AZ-305 exam",
		OwnerIDs: ids(HenriettaID), CreatorID: HenriettaID,
		PeriodID: ContosoQ4PeriodID,
		Progress: 0, Status: notStarted,
		CreatedAt: timestamp("2025-10-06 08:00:00"),
	})

	b.item(goalpost.Item{
		ID: ContosoBrandObjectiveID, Kind: objective, Level: teamLevel,
		Title:   "Relaunch the Contoso brand",
		TeamIDs: ids(ContosoMarketingTeamID), OwnerIDs: ids(AlexID), CreatorID: AlexID,
		PeriodID: ContosoQ1PeriodID, Tags: []string{"brand"},
		ProgressMode: rollup, Progress: 70, Status: closed, Score: score(0.7),
		CreatedAt: timestamp("2025-01-08 09:00:00"),
	})
	b.checkIn(ContosoBrandObjectiveID, AlexID, "2025-03-31", "2025-03-31 17:00:00", closed, 70,
		"Relaunch done; traffic reached 54k of the 60k we aimed for.")

	b.item(goalpost.Item{
		ID: ContosoWebsiteVisitsKeyResultID, Kind: keyResult, Level: teamLevel,
		Title:   "Grow website visits from 40k to 60k a month",
		TeamIDs: ids(ContosoMarketingTeamID), OwnerIDs: ids(AlexID), CreatorID: AlexID,
		PeriodID: ContosoQ1PeriodID, Tags: []string{"brand"},
		Metric: goalpost.Metric{
			Name: "Monthly website visits", Unit: "visits", Start: 40_000, Target: 60_000,
			Direction: goalpost.DirectionIncreaseFrom,
		},
		Current: 54_000, Progress: 70, Status: closed, Score: score(0.7),
		CreatedAt: timestamp("2025-01-08 09:05:00"),
	})
	b.checkIn(ContosoWebsiteVisitsKeyResultID, AlexID, "2025-02-14", "2025-02-14 11:00:00", onTrack, 46_000,
		"New site live since 10 February.")
	b.checkIn(ContosoWebsiteVisitsKeyResultID, AlexID, "2025-03-31", "2025-03-31 16:30:00", closed, 54_000,
		"Closed at 54,000 monthly visits.")

	b.align(ContosoEngagementKeyResultID, ContosoWorkplaceObjectiveID, 50)
	b.align(ContosoHiringKeyResultID, ContosoWorkplaceObjectiveID, 50)
	b.align(ContosoAZ305KeyResultID, ContosoCertificationObjectiveID, 100)
	b.align(ContosoWebsiteVisitsKeyResultID, ContosoBrandObjectiveID, 100)
}
