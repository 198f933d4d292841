/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query MyMeteringPoints($after: String) {\n    meteringPointPage(first: 1000, after: $after) {\n      nodes {\n        mpanCore\n        marketSegment\n        energisationStatus\n        gspGroup {\n          id\n          name\n        }\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n": typeof types.MyMeteringPointsDocument,
    "\n  query SettlementDayBounds($settlementDate: Date!) {\n    settlementDay(settlementDate: $settlementDate) {\n      settlementDate\n      utcStart\n      utcEnd\n      periodCount\n      clockChange\n    }\n  }\n": typeof types.SettlementDayBoundsDocument,
    "\n  query Consumption($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!, $after: String) {\n    meteringPoint(mpanCore: $mpanCore) {\n      consumption(from: $from, to: $to, first: 2000, after: $after) {\n        edges {\n          node {\n            utcStart\n            value\n            quality\n            settlementPeriod {\n              settlementDate\n              settlementPeriod\n              periodsInDay\n              localStartTime\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ConsumptionDocument,
    "\n  query Appointments($mpanCore: MpanCore!) {\n    meteringPoint(mpanCore: $mpanCore) {\n      appointmentHistory {\n        id\n        serviceRole\n        status\n        effectiveFrom\n        effectiveTo\n        overdue\n        provider {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AppointmentsDocument,
    "\n  query SettlementVolumes($settlementDate: Date!) {\n    settlementRuns(settlementDate: $settlementDate) {\n      id\n      settlementDate\n      runType\n      status\n      aggregatedVolumes {\n        settlementPeriod {\n          settlementPeriod\n          localStartTime\n        }\n        bmUnit {\n          id\n        }\n        gspGroup {\n          id\n        }\n        marketSegment\n        volume\n        mpanCount\n      }\n      exceptionSummary {\n        exceptionType\n        count\n      }\n    }\n  }\n": typeof types.SettlementVolumesDocument,
};
const documents: Documents = {
    "\n  query MyMeteringPoints($after: String) {\n    meteringPointPage(first: 1000, after: $after) {\n      nodes {\n        mpanCore\n        marketSegment\n        energisationStatus\n        gspGroup {\n          id\n          name\n        }\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n": types.MyMeteringPointsDocument,
    "\n  query SettlementDayBounds($settlementDate: Date!) {\n    settlementDay(settlementDate: $settlementDate) {\n      settlementDate\n      utcStart\n      utcEnd\n      periodCount\n      clockChange\n    }\n  }\n": types.SettlementDayBoundsDocument,
    "\n  query Consumption($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!, $after: String) {\n    meteringPoint(mpanCore: $mpanCore) {\n      consumption(from: $from, to: $to, first: 2000, after: $after) {\n        edges {\n          node {\n            utcStart\n            value\n            quality\n            settlementPeriod {\n              settlementDate\n              settlementPeriod\n              periodsInDay\n              localStartTime\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ConsumptionDocument,
    "\n  query Appointments($mpanCore: MpanCore!) {\n    meteringPoint(mpanCore: $mpanCore) {\n      appointmentHistory {\n        id\n        serviceRole\n        status\n        effectiveFrom\n        effectiveTo\n        overdue\n        provider {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AppointmentsDocument,
    "\n  query SettlementVolumes($settlementDate: Date!) {\n    settlementRuns(settlementDate: $settlementDate) {\n      id\n      settlementDate\n      runType\n      status\n      aggregatedVolumes {\n        settlementPeriod {\n          settlementPeriod\n          localStartTime\n        }\n        bmUnit {\n          id\n        }\n        gspGroup {\n          id\n        }\n        marketSegment\n        volume\n        mpanCount\n      }\n      exceptionSummary {\n        exceptionType\n        count\n      }\n    }\n  }\n": types.SettlementVolumesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyMeteringPoints($after: String) {\n    meteringPointPage(first: 1000, after: $after) {\n      nodes {\n        mpanCore\n        marketSegment\n        energisationStatus\n        gspGroup {\n          id\n          name\n        }\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n"): (typeof documents)["\n  query MyMeteringPoints($after: String) {\n    meteringPointPage(first: 1000, after: $after) {\n      nodes {\n        mpanCore\n        marketSegment\n        energisationStatus\n        gspGroup {\n          id\n          name\n        }\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettlementDayBounds($settlementDate: Date!) {\n    settlementDay(settlementDate: $settlementDate) {\n      settlementDate\n      utcStart\n      utcEnd\n      periodCount\n      clockChange\n    }\n  }\n"): (typeof documents)["\n  query SettlementDayBounds($settlementDate: Date!) {\n    settlementDay(settlementDate: $settlementDate) {\n      settlementDate\n      utcStart\n      utcEnd\n      periodCount\n      clockChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Consumption($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!, $after: String) {\n    meteringPoint(mpanCore: $mpanCore) {\n      consumption(from: $from, to: $to, first: 2000, after: $after) {\n        edges {\n          node {\n            utcStart\n            value\n            quality\n            settlementPeriod {\n              settlementDate\n              settlementPeriod\n              periodsInDay\n              localStartTime\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Consumption($mpanCore: MpanCore!, $from: DateTime!, $to: DateTime!, $after: String) {\n    meteringPoint(mpanCore: $mpanCore) {\n      consumption(from: $from, to: $to, first: 2000, after: $after) {\n        edges {\n          node {\n            utcStart\n            value\n            quality\n            settlementPeriod {\n              settlementDate\n              settlementPeriod\n              periodsInDay\n              localStartTime\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Appointments($mpanCore: MpanCore!) {\n    meteringPoint(mpanCore: $mpanCore) {\n      appointmentHistory {\n        id\n        serviceRole\n        status\n        effectiveFrom\n        effectiveTo\n        overdue\n        provider {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Appointments($mpanCore: MpanCore!) {\n    meteringPoint(mpanCore: $mpanCore) {\n      appointmentHistory {\n        id\n        serviceRole\n        status\n        effectiveFrom\n        effectiveTo\n        overdue\n        provider {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettlementVolumes($settlementDate: Date!) {\n    settlementRuns(settlementDate: $settlementDate) {\n      id\n      settlementDate\n      runType\n      status\n      aggregatedVolumes {\n        settlementPeriod {\n          settlementPeriod\n          localStartTime\n        }\n        bmUnit {\n          id\n        }\n        gspGroup {\n          id\n        }\n        marketSegment\n        volume\n        mpanCount\n      }\n      exceptionSummary {\n        exceptionType\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query SettlementVolumes($settlementDate: Date!) {\n    settlementRuns(settlementDate: $settlementDate) {\n      id\n      settlementDate\n      runType\n      status\n      aggregatedVolumes {\n        settlementPeriod {\n          settlementPeriod\n          localStartTime\n        }\n        bmUnit {\n          id\n        }\n        gspGroup {\n          id\n        }\n        marketSegment\n        volume\n        mpanCount\n      }\n      exceptionSummary {\n        exceptionType\n        count\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;