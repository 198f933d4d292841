import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../kit/subgraph';
import { scalarResolvers, badUserInput, Reason, utcDateOf, isAppointedService } from '../../core';
import { responsibleAt, visibleMeteringPointReference } from '../kit/scope';
import { periodOverlaps } from '../kit/responsibility';
import { inForceOn, withSupplierCover } from './supplier-cover';
import type { AppointmentLoaders } from './loaders';
import type { Appointment, InterfaceMessage } from './store';
import { appointmentStatusOn, isOverdue } from './appointment-status';
import { requestAppointment, RequestAppointmentInput } from './request-appointment';
import { respondToAppointment, RespondToAppointmentInput } from './respond-to-appointment';
import { withdrawAppointmentRequest, WithdrawAppointmentRequestInput } from './withdraw-appointment-request';
import * as store from './store';
import type { MeteringPointCurrentAppointmentsArgs, QueryAppointmentArgs, QueryMyAppointmentsArgs } from './generated/resolvers-types';

type Context = SubgraphContext<AppointmentLoaders>;

const participantRef = (id: string) => ({ id });

/**
 * Whether the caller may see one appointment: the supplier that requested it, the provider it names, or anyone who
 * may see the metering point when acting as a registration, central or network role.
 */
async function appointmentVisible(appointment: Appointment, ctx: Context): Promise<boolean> {
  const { role, participant } = ctx.caller;
  if (role === 'SUPPLIER') return appointment.supplierId === participant;
  if (isAppointedService(role)) return appointment.providerId === participant;
  return (await ctx.scope.load(appointment.mpanCore)).length > 0;
}

async function visibleAppointments(appointments: readonly Appointment[], ctx: Context): Promise<Appointment[]> {
  const visible = await Promise.all(appointments.map((a) => appointmentVisible(a, ctx)));
  return appointments.filter((_, index) => visible[index]);
}

/** Appointments as the supplier registrations have them now: lapsed, or ended at a change of supplier (supplier-cover.ts). */
const covered = (appointments: readonly Appointment[], ctx: Context) => withSupplierCover(appointments, ctx.responsibilities);

async function visibleAppointment(id: string, ctx: Context): Promise<Appointment | null> {
  const stored = await ctx.loaders.appointment.load(id);
  if (!stored) return null;
  const [appointment] = await covered([stored], ctx);
  return (await appointmentVisible(appointment, ctx)) ? appointment : null;
}

/**
 * The appointments in force at an instant, shown to whoever was responsible for the metering point then: the
 * supplier registered at that instant sees every service in force (whoever requested it); a provider its own; the
 * Registration Service, the Market-wide Data Service and the distributor all.
 */
async function appointmentsInForceAt(mpanCore: string, at: Date | null | undefined, ctx: Context): Promise<Appointment[]> {
  const day = utcDateOf(at ?? ctx.now);
  const inForce = (await covered(await ctx.loaders.appointmentsInForce.load({ mpanCore, onDate: day }), ctx)).filter((a) =>
    inForceOn(a, day),
  );
  if (ctx.caller.role === 'SUPPLIER') return (await responsibleAt(mpanCore, at, ctx)) ? inForce : [];
  return visibleAppointments(inForce, ctx);
}

/** Longest range `myAppointments` answers, in days. */
const MAX_MY_APPOINTMENTS_DAYS = 366;

export const appointmentResolvers: GraphQLResolverMap<Context> = {
  ...scalarResolvers,
  Query: {
    appointment: (_root, args: QueryAppointmentArgs, ctx: Context) => visibleAppointment(args.id, ctx),
    overdueAppointments: async (_root, _args, ctx: Context) =>
      (await covered(await store.findOverdueAppointmentsOfSupplier(ctx.db, ctx.caller.participant, ctx.now), ctx)).filter(
        (a) => a.decision === 'REQUESTED',
      ),
    appointmentRequests: async (_root, _args, ctx: Context) =>
      (await covered(await store.findRequestsForProvider(ctx.db, ctx.caller.participant, ctx.caller.role), ctx)).filter(
        (a) => a.decision === 'REQUESTED',
      ),
    myAppointments: async (_root, args: QueryMyAppointmentsArgs, ctx: Context) => {
      const days = (Date.parse(args.to) - Date.parse(args.from)) / 86_400_000;
      if (!(days >= 1 && days <= MAX_MY_APPOINTMENTS_DAYS)) {
        throw badUserInput(
          Reason.INVALID_RANGE,
          `myAppointments: to must be 1 to ${MAX_MY_APPOINTMENTS_DAYS} days after from; got ${args.from} to ${args.to}`,
        );
      }
      const appointments = await store.findProviderAppointmentsInRange(ctx.db, ctx.caller.participant, ctx.caller.role, args.from, args.to);
      return (await covered(appointments, ctx)).filter(
        (a) => a.decision === 'ACCEPTED' && periodOverlaps({ from: a.effectiveFrom, to: a.effectiveTo }, args.from, args.to),
      );
    },
  },
  Mutation: {
    requestAppointment: (_root, args: { input: RequestAppointmentInput }, ctx: Context) => requestAppointment(args.input, ctx),
    respondToAppointment: (_root, args: { input: RespondToAppointmentInput }, ctx: Context) => respondToAppointment(args.input, ctx),
    withdrawAppointmentRequest: (_root, args: { input: WithdrawAppointmentRequestInput }, ctx: Context) =>
      withdrawAppointmentRequest(args.input, ctx),
  },
  MeteringPoint: {
    // The registration subgraph owns metering points; this one only adds fields to the reference.
    __resolveReference: visibleMeteringPointReference,
    currentAppointments: (mp: { mpanCore: string }, args: MeteringPointCurrentAppointmentsArgs, ctx: Context) =>
      appointmentsInForceAt(mp.mpanCore, args.at, ctx),
    appointmentHistory: async (mp: { mpanCore: string }, _args, ctx: Context) =>
      visibleAppointments(await covered(await ctx.loaders.appointmentsByMpan.load(mp.mpanCore), ctx), ctx),
  },
  Appointment: {
    __resolveReference: (ref: { id: string }, ctx: Context) => visibleAppointment(ref.id, ctx),
    meteringPoint: (a: Appointment) => ({ mpanCore: a.mpanCore }),
    provider: (a: Appointment) => participantRef(a.providerId),
    requestingSupplier: (a: Appointment) => participantRef(a.supplierId),
    status: (a: Appointment, _args, ctx: Context) => appointmentStatusOn(a, utcDateOf(ctx.now)),
    overdue: (a: Appointment, _args, ctx: Context) => isOverdue(a, ctx.now),
    lapseReason: (a: Appointment) => a.lapseReason,
    messages: (a: Appointment, _args, ctx: Context) => ctx.loaders.messages.load(a.id),
  },
  InterfaceMessage: {
    interface: (m: InterfaceMessage) => m.interfaceId,
    from: (m: InterfaceMessage) => participantRef(m.fromParticipantId),
    to: (m: InterfaceMessage) => participantRef(m.toParticipantId),
  },
};
