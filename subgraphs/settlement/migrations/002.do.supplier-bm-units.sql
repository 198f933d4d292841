-- A supplier's BM units: its base unit in each GSP group it supplies, and any additional units (DOMAIN.md). A
-- metering point's allocation is derived from them and the Registration Service's supplier registrations and GSP
-- groups, asked at read time (PRI-001): the base unit of the registered supplier in the GSP group in force, unless
-- that supplier allocated another of its own units (mpan_bm_unit_allocation) since its supply start.
ALTER TABLE bm_unit ADD CONSTRAINT bm_unit_id_gsp_group UNIQUE (id, gsp_group_id);

CREATE TABLE supplier_bm_unit (
  bm_unit_id text PRIMARY KEY,
  supplier_id text NOT NULL,
  gsp_group_id text NOT NULL,
  base boolean NOT NULL,
  FOREIGN KEY (bm_unit_id, gsp_group_id) REFERENCES bm_unit (id, gsp_group_id)
);
CREATE UNIQUE INDEX supplier_bm_unit_one_base ON supplier_bm_unit (supplier_id, gsp_group_id) WHERE base;
