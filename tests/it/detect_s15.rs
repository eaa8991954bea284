//! Cases the third held-out set (eval/make_eval_heldout3.py) found and
//! session 15 fixed: they stay fixed. Each fixture is written here, small.

use crate::util::{scan_revealed, Dir};

fn values(dir: &Dir, rel: &str, content: &str, kind: &str) -> Vec<String> {
    let path = dir.file(rel, content);
    scan_revealed(&path, &[])
        .kind_values()
        .into_iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn a_nir_written_with_a_wrong_key_is_never_reported_with_the_right_one() {
    let dir = Dir::new();
    // 1 84 12 75 123 456: key 40. Written with 38 after a slash, a dash,
    // a space; the right key after a slash is still a NIR.
    let text = "N° SS : 1 84 12 75 123 456 / 38\n\
                N° SS : 1 84 12 75 123 456 - 38\n\
                N° SS : 1 84 12 75 123 456 38\n";
    let nirs = values(&dir, "nir_faux.txt", text, "nir");
    assert!(nirs.is_empty(), "{nirs:?}");
    let right = values(
        &dir,
        "nir_bon.txt",
        "N° SS : 1 84 12 75 123 456 / 40\n",
        "nir",
    );
    assert_eq!(right, ["184127512345640"]);
    // In a sheet's NIR column too.
    let csv = values(
        &dir,
        "personnel.csv",
        "Nom;Prénom;N° sécurité sociale\nPHAM;Thi Lan;1 84 12 75 123 456 / 38\n",
        "nir",
    );
    assert!(csv.is_empty(), "{csv:?}");
}

#[test]
fn name_part_cells_inside_the_rows_name_are_not_names_of_their_own() {
    let dir = Dir::new();
    let names = values(
        &dir,
        "registre.csv",
        "Matricule;Nom;Prénom;Nom d'usage;Service\n\
         M1021;PHAM;Thi Lan;;Proximité\n\
         M1022;BEN SALEM;Mohamed;;Maintenance\n\
         M1023;REY;Thi Hoa;;Comptabilité\n",
        "name",
    );
    for whole in ["Thi Lan PHAM", "Mohamed BEN SALEM", "Thi Hoa REY"] {
        assert!(names.iter().any(|n| n == whole), "{whole}: {names:?}");
    }
    for part in ["Thi Lan", "BEN SALEM", "Thi Hoa"] {
        assert!(!names.iter().any(|n| n == part), "{part}: {names:?}");
    }
}

#[test]
fn a_suppliers_one_cell_address_and_phone_are_not_a_persons() {
    let dir = Dir::new();
    let path = dir.file(
        "fournisseurs.csv",
        "Raison sociale;Adresse;SIRET;Téléphone\n\
         Transports Ben Amor;22 avenue de l'Industrie, 38130 Échirolles;73282932000074;04 76 21 21 57\n",
    );
    let found = scan_revealed(&path, &[]).kind_values();
    assert!(
        !found.iter().any(|(k, _)| k == "address" || k == "phone"),
        "{found:?}"
    );
    // A tenant's row keeps its address and phone.
    let tenants = dir.file(
        "locataires.csv",
        "Nom;Prénom;Adresse;Téléphone\n\
         LE GALL;Yann;7 rue Mozart, 38000 Grenoble;06 12 34 56 78\n",
    );
    let found = scan_revealed(&tenants, &[]).kind_values();
    assert!(
        found
            .iter()
            .any(|(k, v)| k == "address" && v == "7 rue Mozart, 38000 Grenoble"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(k, v)| k == "phone" && v == "+33612345678"),
        "{found:?}"
    );
}

#[test]
fn a_creche_named_after_someone_is_a_place() {
    let dir = Dir::new();
    let names = values(
        &dir,
        "attestation.txt",
        "Le logement se trouve en face de la crèche Françoise Dolto.\n\
         Inscriptions à la halte-garderie Louise Weiss, près de la crèche Simone Signoret.\n\
         Agent d'accueil Marie Dupont, au rond-point Jean Moulin.\n",
        "name",
    );
    // Only the person: a place word ends a compound, not any word.
    assert_eq!(names, ["Marie Dupont"]);
}

#[test]
fn ould_binds_the_surname_after_it() {
    let dir = Dir::new();
    let names = values(
        &dir,
        "cr_amicale.txt",
        "Présents : Mme Roussel, M. Ould Ahmed, M. Le Gall.\n\
         Occupant : M. OULD SIDI Bastien – tél. 06 12 34 56 78\n\
         Occupant : Mme DE LA TOUR Thi Lan – tél. 06 12 34 56 79\n",
        "name",
    );
    for want in ["Ould Ahmed", "Bastien OULD SIDI", "Thi Lan DE LA TOUR"] {
        assert!(names.iter().any(|n| n == want), "{want}: {names:?}");
    }
    for wrong in ["Ahmed Ould", "SIDI OULD", "Thi DE LA TOUR"] {
        assert!(!names.iter().any(|n| n == wrong), "{wrong}: {names:?}");
    }
}

#[test]
fn a_company_headed_by_its_trade_is_no_person() {
    let dir = Dir::new();
    let names = values(
        &dir,
        "facture.txt",
        "Transporteur : Transports Ben Amor, livraison le 12/03/2024.\n\
         Intervention de Plomberie Le Gall le 14/03/2024.\n",
        "name",
    );
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_contract_number_is_no_phone() {
    let dir = Dir::new();
    let phones = values(
        &dir,
        "caf.txt",
        "N° allocataire : 4972694\nNuméro de contrat : 0591078947\n\
         Avoir n° 0786657009 du 12/03/2024\n",
        "phone",
    );
    assert!(phones.is_empty(), "{phones:?}");
}

#[test]
fn an_arrears_statements_logement_column_is_the_tenants_address() {
    let dir = Dir::new();
    let addresses = values(
        &dir,
        "impayes.csv",
        "N° contrat;Locataire;Logement;Code postal;Commune;Solde\n\
         C123456;PHAM Lan;118 rue du Drac;38600;Fontaine;1 234,50\n",
        "address",
    );
    assert_eq!(addresses, ["118 rue du Drac, 38600 Fontaine"]);
}

#[test]
fn an_outgoing_tenants_label_names_them() {
    let dir = Dir::new();
    let names = values(
        &dir,
        "edl.txt",
        "DOSSIER CLOS – état des lieux de sortie\n\nLocataire sortant : PHAM Lan\n",
        "name",
    );
    assert_eq!(names, ["Lan PHAM"]);
}
