/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Where an appointment stands. */
export type AppointmentStatus =
  /** Accepted; takes effect on its effective date. */
  | 'ACCEPTED'
  /** In force now. */
  | 'ACTIVE'
  /** Was in force and has ended (a later appointment replaced it, or the requesting supplier's registration ended). */
  | 'ENDED'
  /**
   * Never takes effect: the requesting supplier is not registered for the metering point on the effective date (a
   * change of supplier came first). `lapseReason` says so; the provider reads it here (PRI-003) and may not accept it.
   */
  | 'LAPSED'
  /** The provider rejected it; it never takes effect. */
  | 'REJECTED'
  /** Requested; the provider has not answered yet. */
  | 'REQUESTED';

/** Clock change on a settlement day. */
export type ClockChange =
  /** Clocks go back: the day is an hour long. */
  | 'AUTUMN_BACK'
  /** An ordinary day. */
  | 'NONE'
  /** Clocks go forward: the day is an hour short. */
  | 'SPRING_FORWARD';

/** How a value was derived. */
export type DataQuality =
  /** Measured. */
  | 'ACTUAL'
  /** Deemed. */
  | 'DEEMED'
  /** Estimated; see the estimation method. */
  | 'ESTIMATED'
  /** Calculated for an unmetered supply; accepted for the Unmetered segment only (PRI-019). */
  | 'UMS_CALCULATED';

/** Energisation status. */
export type EnergisationStatus =
  /** De-energised (code D); non-zero consumption is still accepted and flagged (PRI-013). */
  | 'DE_ENERGISED'
  /** Energised (code E). */
  | 'ENERGISED';

/** Types of settlement exception, each found for one MPAN in one settlement period. The list can grow. */
export type ExceptionType =
  /** Non-zero data in a period of a de-energised MPAN (accepted, reported once per period: PRI-013). */
  | 'DATA_FOR_DE_ENERGISED'
  /** Data for a period from a data service not appointed at the time (reported once per period). */
  | 'DATA_SERVICE_NOT_APPOINTED'
  /** No data, or data for only part of it (one quarter hour of a half hour, or data longer than the period: PRI-015), for a period. */
  | 'MISSING_DATA'
  /** Data for an MPAN the registration service does not know. */
  | 'UNREGISTERED_MPAN';

/** Market segment of a metering point. The list can grow. */
export type MarketSegment =
  /** Advanced segment, CT or whole-current half-hourly metering (code A). */
  | 'ADVANCED'
  /** Smart segment (code S). */
  | 'SMART'
  /** Unmetered supplies (code U). */
  | 'UNMETERED';

/** The service a provider is appointed for; it must fit the metering point's market segment. */
export type ServiceRole =
  /** Advanced Data Service (Advanced segment). */
  | 'ADVANCED_DATA_SERVICE'
  /** Advanced Metering Service (Advanced segment). */
  | 'ADVANCED_METERING_SERVICE'
  /** Smart Data Service (Smart segment). */
  | 'SMART_DATA_SERVICE'
  /** Smart Metering Service (Smart segment). */
  | 'SMART_METERING_SERVICE'
  /** Unmetered Data Service (Unmetered segment). */
  | 'UNMETERED_DATA_SERVICE';

/** State of a settlement run. */
export type SettlementRunStatus =
  /** Completed. */
  | 'COMPLETED'
  /** Planned, not yet run. */
  | 'SCHEDULED';

/** Settlement run types. Offsets after the settlement date are configuration, not schema. */
export type SettlementRunType =
  /** Dispute final. */
  | 'DF'
  /** Interim Information. */
  | 'II'
  /** First reconciliation. */
  | 'R1'
  /** Second reconciliation. */
  | 'R2'
  /** Third reconciliation. */
  | 'R3'
  /** Final reconciliation. */
  | 'RF'
  /** Initial Settlement (SF). */
  | 'SF';

export type MyMeteringPointsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MyMeteringPointsQuery = { meteringPointPage: { endCursor: string | null, hasNextPage: boolean, nodes: Array<{ mpanCore: string, marketSegment: MarketSegment | null, energisationStatus: EnergisationStatus | null, gspGroup: { id: string, name: string } | null }> } };

export type SettlementDayBoundsQueryVariables = Exact<{
  settlementDate: string;
}>;


export type SettlementDayBoundsQuery = { settlementDay: { settlementDate: string, utcStart: string, utcEnd: string, periodCount: number, clockChange: ClockChange } };

export type ConsumptionQueryVariables = Exact<{
  mpanCore: string;
  from: string;
  to: string;
  after?: string | null | undefined;
}>;


export type ConsumptionQuery = { meteringPoint: { consumption: { edges: Array<{ node: { utcStart: string, value: string, quality: DataQuality, settlementPeriod: { settlementDate: string, settlementPeriod: number, periodsInDay: number, localStartTime: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type AppointmentsQueryVariables = Exact<{
  mpanCore: string;
}>;


export type AppointmentsQuery = { meteringPoint: { appointmentHistory: Array<{ id: string, serviceRole: ServiceRole, status: AppointmentStatus, effectiveFrom: string, effectiveTo: string | null, overdue: boolean, provider: { id: string, name: string } }> } | null };

export type SettlementVolumesQueryVariables = Exact<{
  settlementDate: string;
}>;


export type SettlementVolumesQuery = { settlementRuns: Array<{ id: string, settlementDate: string, runType: SettlementRunType, status: SettlementRunStatus, aggregatedVolumes: Array<{ marketSegment: MarketSegment, volume: string, mpanCount: number, settlementPeriod: { settlementPeriod: number, localStartTime: string }, bmUnit: { id: string }, gspGroup: { id: string } }>, exceptionSummary: Array<{ exceptionType: ExceptionType, count: number }> }> };


export const MyMeteringPointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyMeteringPoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meteringPointPage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1000"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mpanCore"}},{"kind":"Field","name":{"kind":"Name","value":"marketSegment"}},{"kind":"Field","name":{"kind":"Name","value":"energisationStatus"}},{"kind":"Field","name":{"kind":"Name","value":"gspGroup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}}]}}]} as unknown as DocumentNode<MyMeteringPointsQuery, MyMeteringPointsQueryVariables>;
export const SettlementDayBoundsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SettlementDayBounds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"settlementDate"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settlementDay"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"settlementDate"},"value":{"kind":"Variable","name":{"kind":"Name","value":"settlementDate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settlementDate"}},{"kind":"Field","name":{"kind":"Name","value":"utcStart"}},{"kind":"Field","name":{"kind":"Name","value":"utcEnd"}},{"kind":"Field","name":{"kind":"Name","value":"periodCount"}},{"kind":"Field","name":{"kind":"Name","value":"clockChange"}}]}}]}}]} as unknown as DocumentNode<SettlementDayBoundsQuery, SettlementDayBoundsQueryVariables>;
export const ConsumptionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Consumption"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mpanCore"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MpanCore"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meteringPoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mpanCore"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mpanCore"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"consumption"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"2000"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"utcStart"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"quality"}},{"kind":"Field","name":{"kind":"Name","value":"settlementPeriod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settlementDate"}},{"kind":"Field","name":{"kind":"Name","value":"settlementPeriod"}},{"kind":"Field","name":{"kind":"Name","value":"periodsInDay"}},{"kind":"Field","name":{"kind":"Name","value":"localStartTime"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsumptionQuery, ConsumptionQueryVariables>;
export const AppointmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Appointments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mpanCore"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MpanCore"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meteringPoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mpanCore"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mpanCore"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointmentHistory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"serviceRole"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveFrom"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveTo"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AppointmentsQuery, AppointmentsQueryVariables>;
export const SettlementVolumesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SettlementVolumes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"settlementDate"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settlementRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"settlementDate"},"value":{"kind":"Variable","name":{"kind":"Name","value":"settlementDate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"settlementDate"}},{"kind":"Field","name":{"kind":"Name","value":"runType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"aggregatedVolumes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settlementPeriod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settlementPeriod"}},{"kind":"Field","name":{"kind":"Name","value":"localStartTime"}}]}},{"kind":"Field","name":{"kind":"Name","value":"bmUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"gspGroup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"marketSegment"}},{"kind":"Field","name":{"kind":"Name","value":"volume"}},{"kind":"Field","name":{"kind":"Name","value":"mpanCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"exceptionSummary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exceptionType"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<SettlementVolumesQuery, SettlementVolumesQueryVariables>;