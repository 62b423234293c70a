"""The demo's own records in the dealer's language: Frappe Translation records, as staff would make them
in the desk's Translation list, for the return reasons, RMA types (names and descriptions), fault types
and the return terms the demo makes (demo/data.py). The portal shows records through `_()`, so a
dealer reading in Romanian, French, Dutch, Finnish or Polish reads them in that language.

Plain data and one function; imports nothing of the demo (demo/data.py calls it)."""

import frappe
from frappe.utils import strip_html_tags

LANGUAGES = ("ro", "fr", "nl", "fi", "pl")

# English record text (a record's name or description) -> its text per language
RECORDS = {
	# return reasons
	"Defective": {"ro": "Defect", "fr": "Défectueux", "nl": "Defect", "fi": "Viallinen", "pl": "Wadliwy"},
	"Wrong item delivered": {
		"ro": "Articol livrat greșit",
		"fr": "Mauvais article livré",
		"nl": "Verkeerd artikel geleverd",
		"fi": "Väärä tuote toimitettu",
		"pl": "Dostarczono niewłaściwy artykuł",
	},
	"Damaged in transit": {
		"ro": "Deteriorat în transport",
		"fr": "Endommagé pendant le transport",
		"nl": "Beschadigd tijdens transport",
		"fi": "Vaurioitunut kuljetuksessa",
		"pl": "Uszkodzony w transporcie",
	},
	"Not needed / ordered by mistake": {
		"ro": "Nu mai este necesar / comandat din greșeală",
		"fr": "Plus nécessaire / commandé par erreur",
		"nl": "Niet nodig / per vergissing besteld",
		"fi": "Ei tarpeen / tilattu vahingossa",
		"pl": "Niepotrzebny / zamówiony przez pomyłkę",
	},
	# RMA types and their descriptions
	"Repair / warranty service": {
		"ro": "Reparație / service în garanție",
		"fr": "Réparation / service sous garantie",
		"nl": "Reparatie / garantieservice",
		"fi": "Korjaus / takuuhuolto",
		"pl": "Naprawa / serwis gwarancyjny",
	},
	"Voltra tool & battery service": {
		"ro": "Service scule și acumulatori Voltra",
		"fr": "Service outils et batteries Voltra",
		"nl": "Service voor Voltra-gereedschap en -accu's",
		"fi": "Voltra-työkalujen ja -akkujen huolto",
		"pl": "Serwis narzędzi i akumulatorów Voltra",
	},
	"Dead on arrival (DOA)": {
		"ro": "Defect la livrare (DOA)",
		"fr": "Défectueux à la livraison (DOA)",
		"nl": "Defect bij aankomst (DOA)",
		"fi": "Viallinen saapuessa (DOA)",
		"pl": "Wadliwy przy dostawie (DOA)",
	},
	"A defective product for repair or replacement under warranty.": {
		"ro": "Un produs defect pentru reparație sau înlocuire în garanție.",
		"fr": "Un produit défectueux à réparer ou à remplacer sous garantie.",
		"nl": "Een defect product voor reparatie of vervanging onder garantie.",
		"fi": "Viallinen tuote korjattavaksi tai vaihdettavaksi takuun puitteissa.",
		"pl": "Wadliwy produkt do naprawy lub wymiany w ramach gwarancji.",
	},
	"Voltra power tools, batteries and chargers only.": {
		"ro": "Numai scule electrice, acumulatori și încărcătoare Voltra.",
		"fr": "Uniquement les outils électriques, batteries et chargeurs Voltra.",
		"nl": "Alleen elektrisch gereedschap, accu's en laders van Voltra.",
		"fi": "Vain Voltra-sähkötyökalut, -akut ja -laturit.",
		"pl": "Tylko elektronarzędzia, akumulatory i ładowarki Voltra.",
	},
	"Defective on delivery: our own invoice is the proof of purchase.": {
		"ro": "Defect la livrare: factura noastră este dovada de cumpărare.",
		"fr": "Défectueux à la livraison : notre propre facture est la preuve d'achat.",
		"nl": "Defect bij levering: onze eigen factuur is het aankoopbewijs.",
		"fi": "Viallinen toimitettaessa: oma laskumme on ostotosite.",
		"pl": "Wadliwy przy dostawie: nasza faktura jest dowodem zakupu.",
	},
	# fault types
	"Does not switch on": {
		"ro": "Nu pornește",
		"fr": "Ne s'allume pas",
		"nl": "Gaat niet aan",
		"fi": "Ei käynnisty",
		"pl": "Nie włącza się",
	},
	"Overheating": {
		"ro": "Supraîncălzire",
		"fr": "Surchauffe",
		"nl": "Oververhitting",
		"fi": "Ylikuumeneminen",
		"pl": "Przegrzewanie się",
	},
	"Battery does not charge": {
		"ro": "Acumulatorul nu se încarcă",
		"fr": "La batterie ne se charge pas",
		"nl": "Accu laadt niet op",
		"fi": "Akku ei lataudu",
		"pl": "Akumulator się nie ładuje",
	},
	"Flickering light": {
		"ro": "Lumină care pâlpâie",
		"fr": "Lumière qui scintille",
		"nl": "Flikkerend licht",
		"fi": "Välkkyvä valo",
		"pl": "Migające światło",
	},
	"No light at all": {
		"ro": "Nu luminează deloc",
		"fr": "Aucune lumière",
		"nl": "Geeft helemaal geen licht",
		"fi": "Ei valoa lainkaan",
		"pl": "Brak światła",
	},
}

# The demo's return terms (demo/data.py RETURN_TERMS), with their HTML
TERMS = {
	"ro": "<p>Returile sunt acceptate în termen de 12 luni de la livrare, în ambalajul original și cu toate "
	"accesoriile. Scrieți numărul RMA pe colet sau lipiți pe el eticheta de retur: coletele fără număr RMA "
	"nu sunt procesate.</p>\n<p>Pentru fiecare retur se percepe o taxă de procesare pe nota de credit. "
	"Mărfurile care ajung deteriorate din cauza unui ambalaj necorespunzător sau care nu făceau parte din "
	"cerere sunt trimise înapoi pe cheltuiala clientului.</p>",
	"fr": "<p>Les retours sont acceptés dans les 12 mois suivant la livraison, dans leur emballage d'origine "
	"et avec tous les accessoires. Inscrivez le numéro RMA sur le colis ou collez-y l'étiquette de retour : "
	"les colis sans numéro RMA ne sont pas traités.</p>\n<p>Des frais de traitement sont facturés sur "
	"l'avoir de chaque retour. Les marchandises qui arrivent endommagées à cause d'un emballage insuffisant, "
	"ou qui ne faisaient pas partie de la demande, sont renvoyées aux frais du client.</p>",
	"nl": "<p>Retouren worden binnen 12 maanden na levering aanvaard, in de originele verpakking en met alle "
	"accessoires. Schrijf het RMA-nummer op het pakket of plak het retourlabel erop: pakketten zonder "
	"RMA-nummer worden niet verwerkt.</p>\n<p>Voor elke retour worden behandelingskosten op de creditnota "
	"in rekening gebracht. Goederen die door slechte verpakking beschadigd aankomen, of die geen deel "
	"uitmaakten van de aanvraag, worden op kosten van de klant teruggestuurd.</p>",
	"fi": "<p>Palautukset hyväksytään 12 kuukauden kuluessa toimituksesta alkuperäisessä pakkauksessa ja "
	"kaikkine lisävarusteineen. Kirjoita RMA-numero pakettiin tai kiinnitä siihen palautustarra: paketteja "
	"ilman RMA-numeroa ei käsitellä.</p>\n<p>Jokaisesta palautuksesta veloitetaan käsittelymaksu "
	"hyvityslaskulla. Tavarat, jotka saapuvat vaurioituneina huonon pakkauksen vuoksi tai jotka eivät "
	"kuuluneet pyyntöön, palautetaan asiakkaan kustannuksella.</p>",
	"pl": "<p>Zwroty są przyjmowane w ciągu 12 miesięcy od dostawy, w oryginalnym opakowaniu i ze wszystkimi "
	"akcesoriami. Napisz numer RMA na paczce lub naklej na nią etykietę zwrotną: paczki bez numeru RMA nie "
	"są przetwarzane.</p>\n<p>Za każdy zwrot pobierana jest opłata manipulacyjna, potrącana z faktury "
	"korygującej. Towary, które dotrą uszkodzone z powodu złego opakowania lub nie były częścią zgłoszenia, "
	"są odsyłane na koszt klienta.</p>",
}


def terms_source(terms_html: str) -> str:
	"""The source text Frappe keeps for a translated HTML text (the Translation DocType strips tags)."""
	return strip_html_tags(terms_html or "").strip()


def make_record_translations(terms_html: str) -> int:
	"""Translation records of the demo's records and of `terms_html` in the five languages; a language's
	translation staff already made (or edited) is kept. Returns how many were made."""
	wanted = [(source, texts) for source, texts in RECORDS.items()]
	wanted.append((terms_source(terms_html), TERMS))
	made = 0
	for source, texts in wanted:
		for language in LANGUAGES:
			if frappe.db.exists("Translation", {"language": language, "source_text": source}):
				continue
			frappe.get_doc(
				{
					"doctype": "Translation",
					"language": language,
					"source_text": source,
					"translated_text": texts[language],
				}
			).insert(ignore_permissions=True)
			made += 1
	return made
