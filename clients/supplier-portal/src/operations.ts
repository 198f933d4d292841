import { graphql } from './gql';

/** The metering points the supplier is or was registered for (row scope is the gateway's, not ours). */
export const MY_METERING_POINTS = graphql(`
  query MyMeteringPoints($after: String) {
    meteringPointPage(first: 1000, after: $after) {
      nodes {
        mpanCore
        marketSegment
        energisationStatus
        gspGroup {
          id
          name
        }
      }
      endCursor
      hasNextPage
    }
  }
`);

/**
 * The UTC bounds of a settlement day and its number of periods. Clock time comes from the settlement subgraph only
 * (PRI-014), so the portal never works out a clock change itself.
 */
export const SETTLEMENT_DAY = graphql(`
  query SettlementDayBounds($settlementDate: Date!) {
    settlementDay(settlementDate: $settlementDate) {
      settlementDate
      utcStart
      utcEnd
      periodCount
      clockChange
    }
  }
`);

/** One page of a metering point's half-hourly consumption, each interval with its settlement period and local time. */
export const CONSUMPTION = graphql(`
  query Consumption($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!, $after: String) {
    meteringPoint(mpanCore: $mpanCore) {
      consumption(from: $from, to: $to, first: 2000, after: $after) {
        edges {
          node {
            utcStart
            value
            quality
            settlementPeriod {
              settlementDate
              settlementPeriod
              periodsInDay
              localStartTime
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** Every appointment of a metering point, with its status today. */
export const APPOINTMENTS = graphql(`
  query Appointments($mpanCore: MpanCore!) {
    meteringPoint(mpanCore: $mpanCore) {
      appointmentHistory {
        id
        serviceRole
        status
        effectiveFrom
        effectiveTo
        overdue
        provider {
          id
          name
        }
      }
    }
  }
`);

/** The supplier's own settlement volumes and exception counts for a settlement date (PRI-009: counts, not detail). */
export const SETTLEMENT_VOLUMES = graphql(`
  query SettlementVolumes($settlementDate: Date!) {
    settlementRuns(settlementDate: $settlementDate) {
      id
      settlementDate
      runType
      status
      aggregatedVolumes {
        settlementPeriod {
          settlementPeriod
          localStartTime
        }
        bmUnit {
          id
        }
        gspGroup {
          id
        }
        marketSegment
        volume
        mpanCount
      }
      exceptionSummary {
        exceptionType
        count
      }
    }
  }
`);
