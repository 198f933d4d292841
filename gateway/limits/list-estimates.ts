/**
 * How many items a list field answers with when no argument says so (no `first`/`last`, no key list): generous
 * estimates of the market's real sizes, by schema coordinate. Only the cost analysis reads them (operation-cost.ts);
 * a list missing here counts as UNKNOWN_LIST_SIZE. Lists sized by their input (a submission's rejections) are bounded
 * by the request body limit instead, so their estimate is small.
 */
export const LIST_ESTIMATES: Readonly<Record<string, number | ((givenArguments: ReadonlySet<string>) => number)>> = {
  // Per metering point: one appointment per service role at a time, a handful over its life.
  'MeteringPoint.currentAppointments': 5,
  'MeteringPoint.appointmentHistory': 20,
  'MeteringPoint.readingHistory': 100,
  'MeteringPoint.readRequests': 10,
  'MeteringPoint.meters': 3,
  'MeteringPoint.supplierRegistrations': 20,
  'MeteringPoint.standingDataHistory': 20,
  'Appointment.messages': 10,
  'ConsumptionInterval.versions': 5,
  'MissingPeriods.ranges': 50,
  // A settlement day's periods: 48 today (at most 100, with 15-minute periods on the autumn clock-change day).
  'ConsumptionSeries.values': 50,
  'ConsumptionSeries.qualities': 50,
  'ConsumptionSeries.estimationMethods': 50,
  'ConsumptionSeries.deEnergisedFlags': 50,
  'ConsumptionSeries.versions': 50,
  // One series a settlement day: a month is the usual ask; the subgraph bounds a call at a year (MAX_SERIES_DAYS).
  'MeteringPoint.consumptionSeries': 31,
  // Reference data of the whole market.
  'Query.distributors': 30,
  'Query.gspGroups': 14,
  'Query.bmUnits': 500,
  'Query.bscParties': 200,
  'BscParty.bmUnits': 20,
  'BscParty.partyRoles': 5,
  'Distributor.gspGroups': 14,
  'Distributor.duosTariffIds': 50,
  'MarketParticipant.roles': 5,
  'SettlementDay.periods': 100,
  // A participant's own work lists.
  'Query.overdueAppointments': 100,
  'Query.myAppointments': 1000,
  'Query.missingPeriods': 1000,
  // All runs, the runs of one date (one per run type), or one run.
  'Query.settlementRuns': (given) => (given.has('settlementDate') ? (given.has('runType') ? 1 : 10) : 100),
  // One settlement run: periods × suppliers × GSP groups × BM units × segments.
  'SettlementRun.aggregatedVolumes': 5000,
  'SettlementRun.exceptionSummary': 20,
  'SettlementRun.exceptions': 1000,
  'ConsumptionSubmissionResult.rejections': 100,
  'MeterReadingSubmissionResult.rejections': 100,
};

export const UNKNOWN_LIST_SIZE = 10;
