import type { ResponsibilityOwner, ResponsibilityPeriod } from '../kit/responsibility';
import { earliestEnd, periodCovers } from '../kit/responsibility';
import type { SubgraphContext } from '../kit/subgraph';
import { badUserInput, notFound, Reason, utcDateOf } from '../../core';
import * as store from './store';

/**
 * The BM unit a metering point's energy is settled in, day by day (DOMAIN.md "Supplier BM units and allocation"): in
 * each span where one supplier is registered and one GSP group is in force (both asked of the Registration Service,
 * never copied: PRI-001), the supplier's base unit in that GSP group from the span's start, replaced from its date by
 * any allocation the supplier made of another of its own units in that group. So a change of supplier moves the
 * allocation to the gaining supplier's unit from its supply start, and a GSP group change to the supplier's unit in the
 * new group, without anyone writing an allocation.
 */
export const settlementResponsibilities: ResponsibilityOwner = {
  owns: ['BM_UNIT'],
  async findPeriods({ db, responsibilities }, _asked, mpanCores) {
    const [allocations, spansByMpan] = await Promise.all([
      store.findAllocations(db, mpanCores),
      Promise.all(
        mpanCores.map(async (mpanCore) => {
          const [suppliers, gspGroups] = await Promise.all([
            responsibilities.periods('SUPPLIER', mpanCore),
            responsibilities.periods('GSP_GROUP', mpanCore),
          ]);
          return supplierGspSpans(suppliers, gspGroups);
        }),
      ),
    ]);
    const supplierIds = [...new Set(spansByMpan.flat().map((span) => span.supplierId))];
    const units = supplierIds.length > 0 ? await store.findSupplierBmUnits(db, supplierIds) : [];
    const periods: ResponsibilityPeriod[] = [];
    mpanCores.forEach((mpanCore, index) => {
      for (const span of spansByMpan[index]) {
        const own = (bmUnitId: string) =>
          units.some((u) => u.bmUnitId === bmUnitId && u.supplierId === span.supplierId && u.gspGroupId === span.gspGroupId);
        const base = units.find((u) => u.base && u.supplierId === span.supplierId && u.gspGroupId === span.gspGroupId);
        // The holder from each change on: the base unit at the span's start, then each allocation of the supplier's own.
        const changes: { from: string; bmUnitId: string | null }[] = [{ from: span.from, bmUnitId: base?.bmUnitId ?? null }];
        for (const allocation of allocations) {
          if (allocation.mpanCore !== mpanCore || !own(allocation.bmUnitId)) continue;
          if (!periodCovers(span, allocation.effectiveFrom)) continue;
          if (allocation.effectiveFrom === span.from) changes[0] = { from: span.from, bmUnitId: allocation.bmUnitId };
          else changes.push({ from: allocation.effectiveFrom, bmUnitId: allocation.bmUnitId });
        }
        changes.forEach((change, i) => {
          if (change.bmUnitId === null) return;
          periods.push({
            mpanCore,
            responsibility: 'BM_UNIT',
            holder: change.bmUnitId,
            from: change.from,
            to: changes[i + 1]?.from ?? span.to,
          });
        });
      }
    });
    return periods;
  },
};

interface SupplierGspSpan {
  supplierId: string;
  gspGroupId: string;
  from: string;
  to: string | null;
}

/** The spans where one supplier is registered and one GSP group is in force: the overlaps of the two histories. */
function supplierGspSpans(suppliers: readonly ResponsibilityPeriod[], gspGroups: readonly ResponsibilityPeriod[]): SupplierGspSpan[] {
  const spans: SupplierGspSpan[] = [];
  for (const supplier of suppliers) {
    for (const gsp of gspGroups) {
      const from = supplier.from > gsp.from ? supplier.from : gsp.from;
      const to = earliestEnd(supplier.to, gsp.to);
      if (to === null || from < to) spans.push({ supplierId: supplier.holder, gspGroupId: gsp.holder, from, to });
    }
  }
  return spans.sort((a, b) => (a.from < b.from ? -1 : 1));
}

export interface AllocateBmUnitInput {
  mpanCore: string;
  bmUnitId: string;
  effectiveFrom: string;
}

/**
 * The registered supplier allocates a metering point to another of its own BM units in the metering point's GSP group,
 * from today or a later UTC day. The rules and refusal codes are in the SDL of `Mutation.allocateBmUnit`.
 */
export async function allocateBmUnit(
  input: AllocateBmUnitInput,
  ctx: SubgraphContext<unknown>,
): Promise<store.BmUnitAllocation & { effectiveTo: string | null }> {
  const supplierId = ctx.caller.participant;
  const today = utcDateOf(ctx.now);
  if (input.effectiveFrom < today) {
    throw badUserInput(
      Reason.RETROSPECTIVE_ALLOCATION,
      `effectiveFrom ${input.effectiveFrom} is in the past: a BM unit allocation takes effect from today (${today}, UTC) or a later UTC day, never retrospectively, since settlement may already have used the allocation in force`,
    );
  }
  const [registration, gspGroup, units] = await Promise.all([
    ctx.responsibilities.heldAt('SUPPLIER', input.mpanCore, input.effectiveFrom),
    ctx.responsibilities.heldAt('GSP_GROUP', input.mpanCore, input.effectiveFrom),
    store.findSupplierBmUnits(ctx.db, [supplierId]),
  ]);
  // Unknown, another supplier's and not yet ours read alike: the refusal reveals nothing about other suppliers.
  if (!registration || registration.holder !== supplierId) {
    throw notFound(
      Reason.SUPPLIER_NOT_REGISTERED,
      `${supplierId} is not registered for a metering point ${input.mpanCore} on ${input.effectiveFrom}: a supplier allocates only metering points it is registered for on the effective date`,
    );
  }
  const unit = units.find((u) => u.bmUnitId === input.bmUnitId);
  if (!unit) {
    throw badUserInput(
      Reason.BM_UNIT_NOT_OWN,
      `BM unit ${input.bmUnitId} is not one of ${supplierId}'s BM units; yours are ${units.map((u) => `${u.bmUnitId} (${u.gspGroupId})`).join(', ') || 'none'}`,
    );
  }
  if (!gspGroup || unit.gspGroupId !== gspGroup.holder) {
    throw badUserInput(
      Reason.BM_UNIT_NOT_IN_GSP_GROUP,
      `BM unit ${unit.bmUnitId} is in GSP group ${unit.gspGroupId}, but ${input.mpanCore} is in ${gspGroup?.holder ?? 'no GSP group'} on ${input.effectiveFrom}; allocate one of your units of that GSP group`,
    );
  }
  await store.upsertAllocation(ctx.db, { mpanCore: input.mpanCore, bmUnitId: unit.bmUnitId, effectiveFrom: input.effectiveFrom });
  // It lasts until the supplier's registration or the GSP group changes, or the supplier allocates again.
  const effectiveTo = earliestEnd(registration.to, gspGroup.to);
  return { mpanCore: input.mpanCore, bmUnitId: unit.bmUnitId, effectiveFrom: input.effectiveFrom, effectiveTo };
}
