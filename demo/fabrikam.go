package demo

import (
	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

// buildFabrikam adds Fabrikam: five users, two teams, three periods, ten
// items and the default views. Fabrikam calls its items Goal, Metric and
// Deliverable.
func buildFabrikam(ds *goalpost.Dataset) {
	b := newBuilder(ds, &goalpost.Organization{
		ID:          FabrikamID,
		Name:        "Fabrikam",
		Terminology: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"},
		CreatedAt:   timestamp("2025-02-03 10:00:00"),
	}, 5100001)

	b.user(MeganID, MeganUPN, "Megan Bowen", uuid.Nil, goalpost.RoleOwner)
	b.user(JohannaID, JohannaUPN, "Johanna Lorenz", MeganID, goalpost.RoleAdmin)
	b.user(GradyID, GradyUPN, "Grady Archie", JohannaID, goalpost.RoleMember)
	b.user(PradeepID, PradeepUPN, "Pradeep Gupta", MeganID, goalpost.RoleMember)
	b.user(MiriamID, MiriamUPN, "Miriam Graham", uuid.Nil, goalpost.RoleObserver)

	b.team(goalpost.Team{ID: FabrikamProductTeamID, Name: "Product", OwnerID: JohannaID, Type: "department",
		Members: ids(JohannaID, GradyID, MeganID)})
	b.team(goalpost.Team{ID: FabrikamFinanceTeamID, Name: "Finance", OwnerID: PradeepID, Type: "department",
		Members: ids(PradeepID)})

	b.period(FabrikamH1PeriodID, "H1 2025", "2025-01-01", "2025-06-30")
	b.period(FabrikamH2PeriodID, "H2 2025", "2025-07-01", "2025-12-31")
	b.period(FabrikamFYPeriodID, "FY 2025", "2025-01-01", "2025-12-31")

	b.item(goalpost.Item{
		ID: FabrikamLaunchGoalID, Kind: objective, Level: orgLevel,
		Title:       "Launch the Fabrikam Home range in Europe",
		Description: "Furniture and lighting for small apartments, sold through retail partners.",
		TeamIDs:     ids(FabrikamProductTeamID), OwnerIDs: ids(MeganID), CreatorID: MeganID,
		PeriodID: FabrikamFYPeriodID, GoalType: committed, Tags: []string{"launch"},
		ProgressMode: rollup, Progress: 45, Status: onTrack,
		CreatedAt: timestamp("2025-02-03 10:30:00"),
	})
	b.checkIn(FabrikamLaunchGoalID, MeganID, "2025-11-20", "2025-11-20 08:40:00", onTrack, 45,
		"Partners and returns both improving.")

	b.item(goalpost.Item{
		ID: FabrikamPartnersMetricID, Kind: keyResult, Level: orgLevel,
		Title:   "Reach 25 retail partners stocking Fabrikam Home",
		TeamIDs: ids(FabrikamProductTeamID), OwnerIDs: ids(JohannaID), CreatorID: MeganID,
		PeriodID: FabrikamH2PeriodID, Tags: []string{"launch", "partners"},
		Metric: goalpost.Metric{
			Name: "Retail partners", Unit: "partners", Start: 0, Target: 25,
			Direction: goalpost.DirectionReach,
		},
		Current: 10, Progress: 40, Status: onTrack,
		CreatedAt: timestamp("2025-07-01 08:00:00"),
	})
	b.checkIn(FabrikamPartnersMetricID, JohannaID, "2025-08-29", "2025-08-29 14:00:00", onTrack, 6,
		"Six partners after the summer fairs.")
	b.checkIn(FabrikamPartnersMetricID, JohannaID, "2025-11-14", "2025-11-14 14:00:00", onTrack, 10,
		"Ten partners, four of them in the Nordics.")

	b.item(goalpost.Item{
		ID: FabrikamStarterKitDeliverableID, Kind: initiative, Level: teamLevel,
		Title:   "Ship the partner starter kit",
		TeamIDs: ids(FabrikamProductTeamID), OwnerIDs: ids(GradyID), CreatorID: JohannaID,
		PeriodID: FabrikamH2PeriodID, Tags: []string{"partners"},
		Progress: 100, Status: closed, Score: score(1),
		CreatedAt: timestamp("2025-07-01 08:10:00"),
	})
	b.checkIn(FabrikamStarterKitDeliverableID, GradyID, "2025-09-19", "2025-09-19 12:00:00", closed, 100,
		"Starter kit shipped to every partner.")

	b.item(goalpost.Item{
		ID: FabrikamTradeFairDeliverableID, Kind: initiative, Level: teamLevel,
		Title:   "Exhibit at the Ambiente trade fair in Frankfurt",
		TeamIDs: ids(FabrikamProductTeamID), OwnerIDs: ids(MeganID, GradyID), CreatorID: MeganID,
		PeriodID: FabrikamH2PeriodID, Tags: []string{"partners"},
		Progress: 60, Status: onTrack,
		CreatedAt: timestamp("2025-07-01 08:20:00"),
	})
	b.checkIn(FabrikamTradeFairDeliverableID, MeganID, "2025-11-07", "2025-11-07 09:15:00", onTrack, 60,
		"Booth booked; design in progress.")

	b.item(goalpost.Item{
		ID: FabrikamReturnRateMetricID, Kind: keyResult, Level: orgLevel,
		Title:   "Bring the product return rate down from 5% to 3%",
		TeamIDs: ids(FabrikamProductTeamID), OwnerIDs: ids(GradyID), CreatorID: MeganID,
		PeriodID: FabrikamH2PeriodID, Tags: []string{"quality"},
		Metric: goalpost.Metric{
			Name: "Return rate", Unit: "%", Start: 5, Target: 3,
			Direction: goalpost.DirectionDecreaseFrom,
		},
		Current: 4, Progress: 50, Status: behind,
		CreatedAt: timestamp("2025-07-01 08:30:00"),
	})
	b.checkIn(FabrikamReturnRateMetricID, GradyID, "2025-09-30", "2025-09-30 15:00:00", behind, 4.5,
		"Packaging damage in shipping.")
	b.checkIn(FabrikamReturnRateMetricID, GradyID, "2025-11-14", "2025-11-14 15:00:00", behind, 4,
		"New packaging for half of the range.")

	b.item(goalpost.Item{
		ID: FabrikamFinanceGoalID, Kind: objective, Level: teamLevel,
		Title:   "Run a lean, predictable finance function",
		TeamIDs: ids(FabrikamFinanceTeamID), OwnerIDs: ids(PradeepID), CreatorID: PradeepID,
		PeriodID: FabrikamFYPeriodID, Tags: []string{"finance"},
		ProgressMode: rollup, Progress: 42.5, Status: onTrack,
		CreatedAt: timestamp("2025-02-04 09:00:00"),
	})

	b.item(goalpost.Item{
		ID: FabrikamDaysToCloseMetricID, Kind: keyResult, Level: teamLevel,
		Title:   "Close the books within 5 working days",
		TeamIDs: ids(FabrikamFinanceTeamID), OwnerIDs: ids(PradeepID), CreatorID: PradeepID,
		PeriodID: FabrikamH2PeriodID, Tags: []string{"finance"},
		Metric: goalpost.Metric{
			Name: "Days to close", Unit: "days", Start: 10, Target: 5,
			Direction: goalpost.DirectionDecreaseFrom,
		},
		Current: 7, Progress: 60, Status: onTrack,
		CreatedAt: timestamp("2025-07-01 09:00:00"),
	})
	b.checkIn(FabrikamDaysToCloseMetricID, PradeepID, "2025-08-08", "2025-08-08 16:00:00", onTrack, 9,
		"July closed in 9 working days.")
	b.checkIn(FabrikamDaysToCloseMetricID, PradeepID, "2025-10-08", "2025-10-08 16:00:00", onTrack, 8,
		"September closed in 8 working days.")
	b.checkIn(FabrikamDaysToCloseMetricID, PradeepID, "2025-11-07", "2025-11-07 16:00:00", onTrack, 7,
		"October closed in 7 working days.")

	b.item(goalpost.Item{
		ID: FabrikamVendorSpendMetricID, Kind: keyResult, Level: teamLevel,
		Title:   "Cut vendor spend from €1.2M to €1.0M",
		TeamIDs: ids(FabrikamFinanceTeamID), OwnerIDs: ids(PradeepID, MeganID), CreatorID: PradeepID,
		PeriodID: FabrikamH2PeriodID, Tags: []string{"finance"},
		Metric: goalpost.Metric{
			Name: "Vendor spend", Unit: "€", Start: 1_200_000, Target: 1_000_000,
			Direction: goalpost.DirectionDecreaseFrom,
		},
		Current: 1_150_000, Progress: 25, Status: atRisk,
		CreatedAt: timestamp("2025-07-01 09:05:00"),
	})
	b.checkIn(FabrikamVendorSpendMetricID, PradeepID, "2025-10-31", "2025-10-31 11:00:00", atRisk, 1_150_000,
		"The logistics contract renewal blocks the bigger savings.")

	b.item(goalpost.Item{
		ID: FabrikamLogisticsDeliverableID, Kind: initiative, Level: teamLevel,
		Title:   "Renegotiate the logistics contract",
		TeamIDs: ids(FabrikamFinanceTeamID), OwnerIDs: ids(PradeepID), CreatorID: PradeepID,
		PeriodID: FabrikamH2PeriodID,
		Progress: 0, Status: notStarted,
		CreatedAt: timestamp("2025-07-01 09:10:00"),
	})

	b.item(goalpost.Item{
		ID: FabrikamMentoringGoalID, Kind: objective, Level: individual,
		Title:    "Mentor two junior designers",
		OwnerIDs: ids(JohannaID), CreatorID: JohannaID,
		PeriodID: FabrikamFYPeriodID,
		Progress: 50, Status: onTrack,
		CreatedAt: timestamp("2025-02-10 10:00:00"),
	})
	b.checkIn(FabrikamMentoringGoalID, JohannaID, "2025-09-01", "2025-09-01 10:00:00", onTrack, 50,
		"Monthly sessions with Grady and a new hire.")

	b.align(FabrikamPartnersMetricID, FabrikamLaunchGoalID, 50)
	b.align(FabrikamStarterKitDeliverableID, FabrikamPartnersMetricID, 50)
	b.align(FabrikamTradeFairDeliverableID, FabrikamPartnersMetricID, 50)
	b.align(FabrikamReturnRateMetricID, FabrikamLaunchGoalID, 50)
	b.align(FabrikamDaysToCloseMetricID, FabrikamFinanceGoalID, 50)
	b.align(FabrikamVendorSpendMetricID, FabrikamFinanceGoalID, 50)
	b.align(FabrikamLogisticsDeliverableID, FabrikamVendorSpendMetricID, 100)

	b.defaultViews(MeganID, timestamp("2025-02-03 10:00:00"), [7]uuid.UUID{
		FabrikamAllObjectivesViewID, FabrikamAllMyObjectivesViewID, FabrikamOverdueViewID, FabrikamNotUpdatedViewID,
		FabrikamAtRiskOrBehindViewID, FabrikamRecentlyCompletedViewID, FabrikamUnalignedViewID,
	})
}
