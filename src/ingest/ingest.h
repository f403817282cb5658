// src/ingest: importers and exporters. What other subsystems include.
//
// Start here:
//   importer.h        RunImport(): any registered format -> the store, in one transaction
//   record_ids.h      the node's record-id key file, and the aliases that keep legacy ids
//   exporter.h        RunExport(): the store -> any registered writer format, marking-checked
//   format_registry.h the formats by name; other subsystems (STIX) plug theirs in here
//   record_reader.h   the reader interface;   record_writer.h  the writer interface
//   generic_row.h     the generic CSV / JSON-lines columns, type inference, categories
//   csv_reader.h jsonl_reader.h sdn_reader.h un_reader.h ftm_reader.h   the readers
//   eu_fsf_reader.h uk_list_reader.h fr_gels_reader.h   the EU, UK and French lists
//   misp_reader.h misp_feed_writer.h   MISP events in, MISP feeds out (misp_common.h: the
//                     tag / distribution / reference vocabulary they share)
//   list_support.h    what the list readers share (prepared items, header index, add-once)
//   country_names.h programs.h   lookup tables the readers share
#pragma once

#include "ingest/exporter.h"
#include "ingest/format_registry.h"
#include "ingest/importer.h"
#include "ingest/record_ids.h"
#include "ingest/record_reader.h"
#include "ingest/record_writer.h"
