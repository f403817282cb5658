// Reader for the French national register of asset freezes ("registre national des gels",
// Direction générale du Trésor), as its JSON file is published (format "fr-gels"):
//
//   {"Publications": {"DatePublication": "...", "PublicationDetail": [
//     {"IdRegistre": 4567, "Nature": "Personne physique", "Nom": "...",
//      "RegistreDetail": [{"TypeChamp": "PRENOM", "Valeur": [{"Prenom": "..."}]}, ...]}]}}
//
// Nature: Personne physique -> person, Personne morale -> organization, Navire -> vehicle.
// The primary name is PRENOM + Nom for a person, Nom otherwise. TypeChamp values read:
// ALIAS (Alias; Commentaire kept), DATE_DE_NAISSANCE (Jour, Mois, Annee: partial dates),
// LIEU_DE_NAISSANCE (Lieu, Pays), NATIONALITE (Pays: French country names and nationality
// adjectives mapped to ISO codes, others kept in nationality_text), SEXE (Masculin /
// Féminin), PASSEPORT (NumeroPasseport), IDENTIFICATION (Identification), ADRESSE_PP /
// ADRESSE_PM (Adresse, Pays), TITRE, MOTIFS (-> remarks), FONDEMENT_JURIDIQUE
// (FondementJuridiqueLabel, else FondementJuridique -> programs, which decide the category),
// REFERENCE_UE, REFERENCE_ONU, and any other TypeChamp, kept as attribute
// "fr_<typechamp in lower case>" with its values' text, so nothing is dropped silently.
// source_record_id is IdRegistre; DatePublication goes to attribute list_published.
//
// Fatal: missing or empty file, malformed JSON (with its line), no Publications object or no
// PublicationDetail array. Rejected entries, named by their path in the file
// ("Publications.PublicationDetail[12] (IdRegistre 4567), field Nom: missing"): no
// IdRegistre, no Nom, an unknown Nature, an impossible birth date, a value of the wrong JSON
// type, invalid UTF-8. Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenFrGelsReader(const std::string& path,
                                                       const ImportDefaults& defaults);
Result<std::unique_ptr<RecordReader>> FrGelsReaderFromString(std::string data,
                                                             const std::string& name,
                                                             const ImportDefaults& defaults);

// ISO alpha-2 code for a country as the register writes it in French ("Russie", "Corée du
// Nord", "Maroc") or a nationality adjective ("marocaine", "russe"); English names and codes
// are tried too. Empty when unknown.
std::string FrenchCountryCode(std::string_view name);

}  // namespace entente::ingest
