/**
 * The README's example: one metering point's registration, appointments, BM unit and consumption across the autumn
 * clock change, touching all four subgraphs. The playground opens with it and an end-to-end test runs it.
 */
export const EXAMPLE_QUERY = `query MeteringPointOverview($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!) {
  meteringPoint(mpanCore: $mpanCore) {
    mpanCore
    marketSegment
    energisationStatus
    gspGroup { id name }
    currentSupplier { supplier { id name } effectiveFrom }
    currentAppointments { serviceRole status effectiveFrom provider { id name } }
    bmUnitAllocation { bmUnit { id } }
    consumption(from: $from, to: $to, first: 4) {
      edges {
        node {
          utcStart
          value
          quality
          settlementPeriod { settlementDate settlementPeriod periodsInDay localStartTime }
        }
      }
      pageInfo { hasNextPage }
    }
  }
}`;

export const EXAMPLE_VARIABLES = {
  mpanCore: '1200000000420',
  from: '2026-10-25T00:00:00Z',
  to: '2026-10-25T02:00:00Z',
};
