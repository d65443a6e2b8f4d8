package demo

import "github.com/google/uuid"

// Organizations.
var (
	// ContosoID is Contoso, the main demo organization (default terminology).
	ContosoID = uuid.MustParse("3d9a8150-90fd-42bd-9777-25ba783d4a05")
	// FabrikamID is Fabrikam, the second demo organization (Goal / Metric /
	// Deliverable).
	FabrikamID = uuid.MustParse("9ab0fcab-c1d4-4b26-963b-a3c33155f853")
)

// User principal names. Each user belongs to one organization only.
const (
	AdeleUPN     = "adele@contoso.com"     // Contoso owner
	PattiUPN     = "patti@contoso.com"     // Contoso admin
	NestorUPN    = "nestor@contoso.com"    // Contoso admin
	LeeUPN       = "lee@contoso.com"       // Contoso member
	DiegoUPN     = "diego@contoso.com"     // Contoso member, creator of the private view
	IsaiahUPN    = "isaiah@contoso.com"    // Contoso member
	AlexUPN      = "alex@contoso.com"      // Contoso member who may not see the restricted item
	LynneUPN     = "lynne@contoso.com"     // Contoso member
	HenriettaUPN = "henrietta@contoso.com" // Contoso member
	JoniUPN      = "joni@contoso.com"      // Contoso observer
	MeganUPN     = "megan@fabrikam.com"    // Fabrikam owner
	JohannaUPN   = "johanna@fabrikam.com"  // Fabrikam admin
	GradyUPN     = "grady@fabrikam.com"    // Fabrikam member
	PradeepUPN   = "pradeep@fabrikam.com"  // Fabrikam member
	MiriamUPN    = "miriam@fabrikam.com"   // Fabrikam observer
)

// Users of Contoso. Managers: Patti manages Adele, Nestor, Lee and Diego;
// Adele manages Alex; Diego manages Isaiah; Nestor manages Lynne and Joni;
// Lee manages Henrietta.
var (
	AdeleID     = uuid.MustParse("12aab60f-79b7-4140-b3f2-a8b232aaf00a") // Adele Vance, owner
	PattiID     = uuid.MustParse("3bbc25fe-1ff6-4dde-b90b-cbfc37ed9aa5") // Patti Fernandez, admin
	NestorID    = uuid.MustParse("75be793b-1cf9-484a-9a55-fb6b11f5b8ff") // Nestor Wilke, admin
	LeeID       = uuid.MustParse("2e039fc5-0f3d-47ca-aa4d-067eb37e98fe") // Lee Gu, member
	DiegoID     = uuid.MustParse("0005cba1-3fac-4494-905e-54e4863618ae") // Diego Siciliani, member
	IsaiahID    = uuid.MustParse("2ff54d8c-2875-4ed6-8b5b-73be54c18a61") // Isaiah Langer, member
	AlexID      = uuid.MustParse("71c4ecce-87e9-464f-ba15-e564f701312f") // Alex Wilber, member
	LynneID     = uuid.MustParse("e08b3f50-ddd9-4da3-8de3-f0e3f52a2af5") // Lynne Robbins, member
	HenriettaID = uuid.MustParse("e0762ec7-328a-4b49-82ff-8bc6c6b9f7b7") // Henrietta Mueller, member
	JoniID      = uuid.MustParse("a2c581aa-a414-4782-a865-2df17cc2d78a") // Joni Sherman, observer
)

// Users of Fabrikam. Megan manages Johanna and Pradeep; Johanna manages
// Grady.
var (
	MeganID   = uuid.MustParse("c47a891b-6d33-4985-8e52-75d6a26334e9") // Megan Bowen, owner
	JohannaID = uuid.MustParse("554056e6-8433-4fb1-a0e9-fb91c855c29c") // Johanna Lorenz, admin
	GradyID   = uuid.MustParse("d9c5433f-48ad-42be-86aa-fef58e8350a3") // Grady Archie, member
	PradeepID = uuid.MustParse("b9664986-015c-4743-925b-08de0369540d") // Pradeep Gupta, member
	MiriamID  = uuid.MustParse("f20b5c78-1416-46f5-89be-ba320553e285") // Miriam Graham, observer
)

// Teams of Contoso.
var (
	ContosoLeadershipTeamID  = uuid.MustParse("5e3eecd8-6f71-4e46-89a8-fa1c6e773d66") // Leadership, department
	ContosoSalesTeamID       = uuid.MustParse("015d4ddf-cd46-43cd-b995-5ff6e7e2a8a4") // Sales, department
	ContosoSalesEMEATeamID   = uuid.MustParse("c4aa477c-a769-4635-bfd6-5d1619831fa3") // "Sales – EMEA", region under Sales
	ContosoMarketingTeamID   = uuid.MustParse("c9d553db-1ce9-481e-acba-1b8567042d84") // Marketing, department
	ContosoEngineeringTeamID = uuid.MustParse("82b7e289-cf95-4723-8835-05f68878c3b2") // Engineering, department
	ContosoPlatformTeamID    = uuid.MustParse("e477c98f-f3db-46c5-b438-eca8c085df07") // Platform, squad under Engineering
	ContosoOperationsTeamID  = uuid.MustParse("9d2b5cc4-f313-49f2-889b-bc48342dd006") // Operations, department
	ContosoRetailPilotTeamID = uuid.MustParse("9fea431e-cbc5-4404-9f3d-dc0bb9cbb39d") // Retail Pilot, archived squad under Operations
)

// Teams of Fabrikam.
var (
	FabrikamProductTeamID = uuid.MustParse("6cee64b9-3b54-4f57-ae9f-7e1b5ca7cc09") // Product, department
	FabrikamFinanceTeamID = uuid.MustParse("ff2df9f2-b578-46ef-aea8-8450de1425b7") // Finance, department
)

// Time periods of Contoso (calendar 2025).
var (
	ContosoQ1PeriodID     = uuid.MustParse("9f19f025-dddf-4a2a-97de-730e4df75559") // Q1 2025
	ContosoQ2PeriodID     = uuid.MustParse("b7445437-605b-4639-b150-8072eed2e5af") // Q2 2025
	ContosoQ3PeriodID     = uuid.MustParse("d0ef7657-ad3e-4ae2-8671-18844ccbfecf") // Q3 2025
	ContosoQ4PeriodID     = uuid.MustParse("e6b63847-a1a9-44bd-9171-4dee62528385") // Q4 2025
	ContosoAnnualPeriodID = uuid.MustParse("022a394c-0a05-4d4a-8876-f8dbaa552916") // Annual 2025
)

// Time periods of Fabrikam (calendar 2025).
var (
	FabrikamH1PeriodID = uuid.MustParse("4346b53a-97dc-4587-8fbb-6918087fed51") // H1 2025
	FabrikamH2PeriodID = uuid.MustParse("b37f574c-ff08-4b12-8345-2c7544d691cc") // H2 2025
	FabrikamFYPeriodID = uuid.MustParse("cbf5681a-4e3e-4afe-81ae-fa0162354676") // FY 2025
)

// Explorer views of Contoso. All are public except ContosoPrivateViewID.
var (
	ContosoAllObjectivesViewID     = uuid.MustParse("f5b62cb2-5e35-4ba1-862d-9c6cf0c88830") // All objectives
	ContosoAllMyObjectivesViewID   = uuid.MustParse("20c58f43-299f-4744-af44-53e618a961bd") // All my objectives
	ContosoOverdueViewID           = uuid.MustParse("691dfb39-46c6-420d-b573-cf7cde6dccdb") // Overdue OKRs
	ContosoNotUpdatedViewID        = uuid.MustParse("d1072274-cda0-4473-9ae5-f4143ebbb69d") // Not updated in the last 7 days
	ContosoAtRiskOrBehindViewID    = uuid.MustParse("bc8c812b-26c6-4de3-b72c-59651a71b1a7") // At risk or behind
	ContosoRecentlyCompletedViewID = uuid.MustParse("c49dcc55-eb27-4b0f-a2c1-15c7f9afd7d1") // Recently completed
	ContosoUnalignedViewID         = uuid.MustParse("3e7158a5-cbdd-4c23-81b5-7e63633082d1") // Unaligned OKRs

	// ContosoPrivateViewID is "Diego's sales pipeline", private to Diego.
	ContosoPrivateViewID = uuid.MustParse("f87ee162-4e48-4892-968d-c044839f5861")
	// ContosoBusinessReviewViewID is "Quarterly business review": organization
	// level items, a subset of the columns, one Tag column, first-level
	// children included.
	ContosoBusinessReviewViewID = uuid.MustParse("f61208dd-28ac-47c4-9015-b3a0cceb4dea")
	// ContosoCompanyObjectivesViewID is "Company objectives": organization
	// level objectives, top-level only.
	ContosoCompanyObjectivesViewID = uuid.MustParse("b62b9971-ff99-49f3-a0f3-0efd75eb4fc3")
	// ContosoGrowthTagsViewID is "Growth OKRs by tag": a tag filter, one
	// "Tag: <name>" column per tag.
	ContosoGrowthTagsViewID = uuid.MustParse("3e083b10-fb4d-4b2d-a097-6aa82ff97baa")
)

// Explorer views of Fabrikam, all public.
var (
	FabrikamAllObjectivesViewID     = uuid.MustParse("2c8b5fd3-67c3-4677-8eb3-e0066c4d2fd7") // All objectives
	FabrikamAllMyObjectivesViewID   = uuid.MustParse("3bd101b7-c71e-4fd6-ae2c-69d3b2e30f9b") // All my objectives
	FabrikamOverdueViewID           = uuid.MustParse("b3b1721f-8a3f-4815-944d-1b24514fca99") // Overdue OKRs
	FabrikamNotUpdatedViewID        = uuid.MustParse("746cc591-968c-460c-877a-15fa78104168") // Not updated in the last 7 days
	FabrikamAtRiskOrBehindViewID    = uuid.MustParse("e4fcd5c5-a7bf-4a86-8597-7820c3f0c96c") // At risk or behind
	FabrikamRecentlyCompletedViewID = uuid.MustParse("a9df05d9-d5c5-4ae4-a813-0e8bd779a815") // Recently completed
	FabrikamUnalignedViewID         = uuid.MustParse("d26098c5-5f55-4e35-8780-8c10d212308d") // Unaligned OKRs
)

// Items of Contoso, in export order (depth-first through the alignments).
const (
	ContosoGrowthObjectiveID            int64 = 2295770 // org objective, rollup, owners Patti and Adele
	ContosoARRKeyResultID               int64 = 2295771 // "Annual recurring revenue" in $, teams Leadership and Sales
	ContosoPipelineObjectiveID          int64 = 2295772 // team objective under the ARR key result
	ContosoQualifiedPipelineKeyResultID int64 = 2295773 // five check-ins
	ContosoPipelineReviewsInitiativeID  int64 = 2295774
	ContosoEMEACustomersKeyResultID     int64 = 2295775 // aligned to two parents (50 % and 25 %)
	ContosoZurichOfficeInitiativeID     int64 = 2295776 // closed, score 1; description needs CSV quoting
	ContosoGermanProposalsInitiativeID  int64 = 2295777
	ContosoNPSKeyResultID               int64 = 2295778 // "Net promoter score", number
	ContosoAdvisoryBoardInitiativeID    int64 = 2295779 // closed, score 0.9
	ContosoFeedbackKiosksInitiativeID   int64 = 2295780 // no owner
	ContosoChurnKeyResultID             int64 = 2295781 // "Churn rate" %, decrease from 4 to 2.5
	ContosoDowngradeCallsInitiativeID   int64 = 2295782
	ContosoExpansionObjectiveID         int64 = 2295783 // org objective, rollup, no check-ins
	ContosoTokyoPartnersKeyResultID     int64 = 2295784 // title with 東京
	ContosoJapaneseGuideInitiativeID    int64 = 2295785
	ContosoLocalizationKeyResultID      int64 = 2295786
	ContosoPlatformObjectiveID          int64 = 2295787 // org objective, rollup
	ContosoRetail3ObjectiveID           int64 = 2295788 // rollup of seven children weighted 100/7 each
	ContosoScopeFreezeKeyResultID       int64 = 2295789 // closed, score 1
	ContosoDesignSystemKeyResultID      int64 = 2295790 // closed, score 0.8
	ContosoCheckoutAPIKeyResultID       int64 = 2295791
	ContosoAccessibilityKeyResultID     int64 = 2295792 // at risk
	ContosoOfflineModeKeyResultID       int64 = 2295793 // reopened
	ContosoPilotStoresKeyResultID       int64 = 2295794 // not started
	ContosoPublicLaunchKeyResultID      int64 = 2295795 // postponed
	ContosoIncidentsKeyResultID         int64 = 2295796
	ContosoWorkplaceObjectiveID         int64 = 2295797 // unaligned team objective, rollup
	ContosoEngagementKeyResultID        int64 = 2295798
	ContosoHiringKeyResultID            int64 = 2295799
	ContosoAcquisitionObjectiveID       int64 = 2295800 // restricted, owned by Diego
	ContosoCertificationObjectiveID     int64 = 2295801 // individual level, no team
	ContosoAZ305KeyResultID             int64 = 2295802 // individual level
	ContosoBrandObjectiveID             int64 = 2295803 // Q1 2025, closed, score 0.7
	ContosoWebsiteVisitsKeyResultID     int64 = 2295804 // Q1 2025, closed, score 0.7
)

// Contoso items that tests name by what they exercise.
const (
	// ContosoRestrictedItemID is visible to its owner Diego, the members
	// of his teams (Sales, Leadership) and admins; not to Alex, Lynne,
	// Henrietta or Joni.
	ContosoRestrictedItemID = ContosoAcquisitionObjectiveID
	// ContosoUnassignedItemID has no owner.
	ContosoUnassignedItemID = ContosoFeedbackKiosksInitiativeID
	// ContosoMultiParentItemID aligns to ContosoPipelineObjectiveID (first,
	// 50 %) and ContosoExpansionObjectiveID (25 %).
	ContosoMultiParentItemID = ContosoEMEACustomersKeyResultID
	// ContosoSevenChildrenItemID has seven children weighted 100/7 %
	// (14.29 % in the CSV).
	ContosoSevenChildrenItemID = ContosoRetail3ObjectiveID
	// ContosoQuotingItemID has a description with a comma, a double quote,
	// a line break and "Zürich".
	ContosoQuotingItemID = ContosoZurichOfficeInitiativeID
)

// Items of Fabrikam, in export order.
const (
	FabrikamLaunchGoalID            int64 = 3100001 // org goal, rollup
	FabrikamPartnersMetricID        int64 = 3100002
	FabrikamStarterKitDeliverableID int64 = 3100003 // closed, score 1
	FabrikamTradeFairDeliverableID  int64 = 3100004 // owners Megan and Grady
	FabrikamReturnRateMetricID      int64 = 3100005
	FabrikamFinanceGoalID           int64 = 3100006 // team goal, rollup
	FabrikamDaysToCloseMetricID     int64 = 3100007
	FabrikamVendorSpendMetricID     int64 = 3100008 // in €
	FabrikamLogisticsDeliverableID  int64 = 3100009 // not started
	FabrikamMentoringGoalID         int64 = 3100010 // individual level
)
