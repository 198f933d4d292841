import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../kit/subgraph';
import { scalarResolvers } from '../kit/scalars';
import { utcDateOf } from '../kit/time';
import type { AppointmentLoaders } from './loaders';
import type { Appointment, InterfaceMessage } from './store';
import { appointmentStatusOn } from './appointment-status';

type Context = SubgraphContext<AppointmentLoaders>;

const participantRef = (id: string) => ({ id });

export const appointmentResolvers: GraphQLResolverMap<Context> = {
  ...scalarResolvers,
  Query: {
    appointment: (_root, args: { id: string }, ctx: Context) => ctx.loaders.appointment.load(args.id),
  },
  MeteringPoint: {
    // The registration subgraph owns metering points; this one only adds fields to the reference.
    __resolveReference: (ref: { mpanCore: string }) => ref,
    currentAppointments: (mp: { mpanCore: string }, args: { at?: Date }, ctx: Context) =>
      ctx.loaders.appointmentsInForce.load({ mpanCore: mp.mpanCore, onDate: utcDateOf(args.at ?? new Date()) }),
    appointmentHistory: (mp: { mpanCore: string }, _args, ctx: Context) => ctx.loaders.appointmentsByMpan.load(mp.mpanCore),
  },
  Appointment: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.appointment.load(ref.id),
    meteringPoint: (a: Appointment) => ({ mpanCore: a.mpanCore }),
    provider: (a: Appointment) => participantRef(a.providerId),
    requestingSupplier: (a: Appointment) => participantRef(a.supplierId),
    status: (a: Appointment) => appointmentStatusOn(a, utcDateOf(new Date())),
    messages: (a: Appointment, _args, ctx: Context) => ctx.loaders.messages.load(a.id),
  },
  InterfaceMessage: {
    interface: (m: InterfaceMessage) => m.interfaceId,
    from: (m: InterfaceMessage) => participantRef(m.fromParticipantId),
    to: (m: InterfaceMessage) => participantRef(m.toParticipantId),
  },
};
