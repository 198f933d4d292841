import { defineSubgraph } from '../kit/define-subgraph';
import { createAppointmentLoaders } from './loaders';
import { appointmentResolvers } from './resolvers';
import { writeAppointmentDataset } from './store';
import { appointmentResponsibilities } from './responsibilities';
import { changeOfSupplierSweep } from './change-of-supplier-sweep';

/** Appointment: which data and metering services are appointed to a metering point, and the message trail. */
export const appointment = defineSubgraph(__dirname, {
  name: 'appointment',
  dbSchema: 'appointment',
  urlEnv: 'APPOINTMENT_URL',
  defaultPort: 4003,
  resolvers: appointmentResolvers,
  createLoaders: createAppointmentLoaders,
  writeDataset: writeAppointmentDataset,
  responsibilityOwner: appointmentResponsibilities,
  sweep: changeOfSupplierSweep,
});
