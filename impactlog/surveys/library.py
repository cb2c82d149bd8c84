"""The built-in survey templates: written by us, in all seven languages, each a `SurveySpec`.

`TEMPLATES` names each by its key (what the library page and `use_template` take); `spec(key)`
returns a fresh spec to store or change. The pre/post self-assessment reuses the eight key
competences and the 1–5 levels of impactlog/progress/vocabulary.py in the product's own
translations; WHO-5 is a published instrument used as published (its citation says how).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation

from impactlog.progress.vocabulary import KeyCompetence, Level
from impactlog.surveys.models import QuestionType, Role, SurveyKind, Texts
from impactlog.surveys.spec import LANGUAGES, ChoiceSpec, ListSpec, QuestionSpec, SurveySpec

OURS = "Impact Logbook, CC BY 4.0"
WHO5_CITATION = (
    "WHO-5 Well-Being Index: World Health Organization Regional Office for Europe (1998); "
    "Topp, Østergaard, Søndergaard & Bech (2015), Psychother Psychosom 84:167-176. Free to use "
    "without permission; a changed wording must be marked as changed. Prefer the official "
    "translation of a language where one exists (Psychiatric Centre North Zealand)."
)
# The annual survey's default window: ISO weeks 41 to 43 (October); a network can change it.
ANNUAL_WEEKS = (41, 43)


def t(en: str, lv: str, lt: str, et: str, sl: str, sv: str, fi: str) -> Texts:
    """A text in the seven languages, in the order of settings.LANGUAGES."""
    return dict(zip(LANGUAGES, (en, lv, lt, et, sl, sv, fi), strict=True))


def _translated(label: object) -> Texts:
    """One of the product's own translated labels, in every language."""
    texts = {}
    for code in LANGUAGES:
        with translation.override(code):
            texts[code] = str(label)
    return texts


def q(name: str, kind: str, label: Texts, **more: object) -> QuestionSpec:
    return QuestionSpec(name, kind, label, **more)  # type: ignore[arg-type]


def _section(name: str, label: Texts) -> QuestionSpec:
    return q(name, QuestionType.SECTION, label)


def _agree(name: str, label: Texts) -> QuestionSpec:
    return q(name, QuestionType.AGREEMENT, label, required=True)


def _age() -> QuestionSpec:
    return q(
        "age",
        QuestionType.NUMBER,
        t(
            "How old are you?",
            "Cik tev ir gadu?",
            "Kiek tau metų?",
            "Kui vana sa oled?",
            "Koliko si star/-a?",
            "Hur gammal är du?",
            "Kuinka vanha olet?",
        ),
        role=Role.AGE,
        limits={"min": 7, "max": 35},
    )


def _gender() -> QuestionSpec:
    return q(
        "gender",
        QuestionType.SINGLE,
        t("You are…", "Tu esi…", "Tu esi…", "Sa oled…", "Si…", "Du är…", "Olet…"),
        role=Role.GENDER,
        list_name="genders",
    )


def _genders() -> ListSpec:
    return ListSpec(
        "genders",
        [
            ChoiceSpec(
                "girl", t("a girl", "meitene", "mergina", "tüdruk", "dekle", "tjej", "tyttö")
            ),
            ChoiceSpec("boy", t("a boy", "puisis", "vaikinas", "poiss", "fant", "kille", "poika")),
            ChoiceSpec(
                "non_binary",
                t(
                    "non-binary",
                    "nebinārs",
                    "nebinarinis (-ė)",
                    "mittebinaarne",
                    "nebinarna oseba",
                    "icke-binär",
                    "muunsukupuolinen",
                ),
            ),
            ChoiceSpec(
                "not_say",
                t(
                    "I'd rather not say",
                    "Negribu teikt",
                    "Nenoriu sakyti",
                    "Ei soovi öelda",
                    "Raje ne povem",
                    "Vill inte säga",
                    "En halua kertoa",
                ),
            ),
        ],
    )


def _what_else() -> QuestionSpec:
    return q(
        "anything_else",
        QuestionType.LONG_TEXT,
        t(
            "Is there anything else you want to tell us?",
            "Vai ir vēl kaut kas, ko gribi mums pastāstīt?",
            "Ar dar ką nors nori mums pasakyti?",
            "Kas on veel midagi, mida tahad meile öelda?",
            "Bi nam želel/-a povedati še kaj?",
            "Är det något mer du vill berätta för oss?",
            "Haluatko kertoa meille vielä jotain?",
        ),
    )


def annual() -> SurveySpec:
    return SurveySpec(
        kind=SurveyKind.ANNUAL,
        title=t(
            "Our meeting place: the yearly survey",
            "Mūsu tikšanās vieta: ikgadējā aptauja",
            "Mūsų susitikimų vieta: metinė apklausa",
            "Meie kohtumispaik: iga-aastane küsitlus",
            "Naš prostor srečevanja: letna anketa",
            "Vår mötesplats: årets enkät",
            "Meidän kohtaamispaikkamme: vuosikysely",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "How young people experience the youth centre: safety, being treated well, "
            "influence and responsibility, learning and taking part. The same questions every "
            "year, so that years and centres can be compared.",
            "Kā jaunieši piedzīvo jauniešu centru: drošība, laba attieksme, ietekme un "
            "atbildība, mācīšanās un līdzdalība. Katru gadu tie paši jautājumi, lai var "
            "salīdzināt gadus un centrus.",
            "Kaip jaunimas patiria jaunimo centrą: saugumas, geras elgesys, įtaka ir "
            "atsakomybė, mokymasis ir dalyvavimas. Kasmet tie patys klausimai, kad būtų galima "
            "palyginti metus ir centrus.",
            "Kuidas noored noortekeskust kogevad: turvalisus, hea kohtlemine, mõju ja "
            "vastutus, õppimine ja osalemine. Igal aastal samad küsimused, et aastaid ja "
            "keskusi saaks võrrelda.",
            "Kako mladi doživljajo mladinski center: varnost, spoštljiv odnos, vpliv in "
            "odgovornost, učenje in sodelovanje. Vsako leto ista vprašanja, da lahko "
            "primerjamo leta in centre.",
            "Hur unga upplever fritidsgården: trygghet, att bli väl bemött, inflytande och "
            "ansvar, lärande och delaktighet. Samma frågor varje år, så att år och gårdar kan "
            "jämföras.",
            "Miten nuoret kokevat nuorisotalon: turvallisuus, hyvä kohtelu, vaikutusmahdollisuudet "
            "ja vastuu, oppiminen ja osallistuminen. Samat kysymykset joka vuosi, jotta vuosia ja "
            "taloja voi verrata.",
        ),
        timing=t(
            "Once a year, in October (weeks 41–43 unless your network chooses other weeks).",
            "Reizi gadā, oktobrī (41.–43. nedēļā, ja vien jūsu tīkls neizvēlas citas nedēļas).",
            "Kartą per metus, spalį (41–43 savaitę, nebent jūsų tinklas pasirenka kitas).",
            "Kord aastas, oktoobris (nädalad 41–43, kui teie võrgustik ei vali teisi nädalaid).",
            "Enkrat na leto, oktobra (41.–43. teden, razen če vaša mreža izbere druge tedne).",
            "En gång om året, i oktober (vecka 41–43 om inte ert nätverk väljer andra veckor).",
            "Kerran vuodessa, lokakuussa (viikot 41–43, ellei verkostonne valitse muita viikkoja).",
        ),
        citation=OURS,
        minutes=10,
        lists=[_genders()],
        questions=[
            _section(
                "safety",
                t(
                    "Feeling safe",
                    "Drošības sajūta",
                    "Saugumo jausmas",
                    "Turvatunne",
                    "Občutek varnosti",
                    "Trygghet",
                    "Turvallisuus",
                ),
            ),
            _agree(
                "safe_here",
                t(
                    "I feel safe here.",
                    "Es te jūtos droši.",
                    "Čia jaučiuosi saugiai.",
                    "Ma tunnen end siin turvaliselt.",
                    "Tukaj se počutim varno.",
                    "Jag känner mig trygg här.",
                    "Tunnen oloni täällä turvalliseksi.",
                ),
            ),
            _agree(
                "adult_to_talk",
                t(
                    "There is an adult here I can talk to if something is wrong.",
                    "Te ir pieaugušais, ar ko varu parunāt, ja kaut kas nav labi.",
                    "Čia yra suaugusiųjų, su kuriais galiu pasikalbėti, jei kas negerai.",
                    "Siin on täiskasvanu, kellega saan rääkida, kui midagi on valesti.",
                    "Tukaj je odrasla oseba, s katero se lahko pogovorim, če je kaj narobe.",
                    "Här finns en vuxen jag kan prata med om något är fel.",
                    "Täällä on aikuinen, jolle voin puhua, jos jokin on vialla.",
                ),
            ),
            _section(
                "treated",
                t(
                    "Being treated well",
                    "Attieksme",
                    "Kaip su manimi elgiamasi",
                    "Kohtlemine",
                    "Odnos do mene",
                    "Bemötande",
                    "Kohtelu",
                ),
            ),
            _agree(
                "treated_well",
                t(
                    "The staff treat me well.",
                    "Darbinieki pret mani izturas labi.",
                    "Darbuotojai su manimi elgiasi gerai.",
                    "Töötajad kohtlevad mind hästi.",
                    "Zaposleni z mano ravnajo lepo.",
                    "Personalen bemöter mig bra.",
                    "Työntekijät kohtelevat minua hyvin.",
                ),
            ),
            _agree(
                "be_myself",
                t(
                    "I can be myself here.",
                    "Te es varu būt es pats.",
                    "Čia galiu būti savimi.",
                    "Siin saan olla mina ise.",
                    "Tukaj sem lahko to, kar sem.",
                    "Här kan jag vara mig själv.",
                    "Täällä saan olla oma itseni.",
                ),
            ),
            _section(
                "influence",
                t(
                    "Influence and responsibility",
                    "Ietekme un atbildība",
                    "Įtaka ir atsakomybė",
                    "Mõju ja vastutus",
                    "Vpliv in odgovornost",
                    "Inflytande och ansvar",
                    "Vaikuttaminen ja vastuu",
                ),
            ),
            _agree(
                "have_a_say",
                t(
                    "I have a say in what happens here.",
                    "Es varu ietekmēt to, kas te notiek.",
                    "Galiu turėti įtakos tam, kas čia vyksta.",
                    "Ma saan kaasa rääkida selles, mis siin toimub.",
                    "Lahko soodločam o tem, kaj se tukaj dogaja.",
                    "Jag får vara med och bestämma vad som händer här.",
                    "Saan vaikuttaa siihen, mitä täällä tapahtuu.",
                ),
            ),
            _agree(
                "responsibility",
                t(
                    "I get to take responsibility for things here.",
                    "Man te ļauj uzņemties atbildību.",
                    "Čia galiu prisiimti atsakomybę.",
                    "Ma saan siin asjade eest vastutust võtta.",
                    "Tukaj lahko prevzamem odgovornost za stvari.",
                    "Jag får ta ansvar för saker här.",
                    "Saan ottaa täällä vastuuta asioista.",
                ),
            ),
            _section(
                "learning",
                t(
                    "Learning",
                    "Mācīšanās",
                    "Mokymasis",
                    "Õppimine",
                    "Učenje",
                    "Lärande",
                    "Oppiminen",
                ),
            ),
            _agree(
                "learned_new",
                t(
                    "I have learned new things here.",
                    "Es te esmu iemācījies ko jaunu.",
                    "Čia išmokau naujų dalykų.",
                    "Ma olen siin uusi asju õppinud.",
                    "Tukaj sem se naučil/-a novih stvari.",
                    "Jag har lärt mig nya saker här.",
                    "Olen oppinut täällä uusia asioita.",
                ),
            ),
            _agree(
                "try_things",
                t(
                    "Here I dare to try things I have not done before.",
                    "Te es uzdrošinos izmēģināt to, ko neesmu darījis.",
                    "Čia drįstu išbandyti tai, ko dar nedariau.",
                    "Siin julgen proovida asju, mida ma pole varem teinud.",
                    "Tukaj si upam preizkusiti stvari, ki jih še nisem počel/-a.",
                    "Här vågar jag prova saker jag inte gjort förut.",
                    "Täällä uskallan kokeilla asioita, joita en ole ennen tehnyt.",
                ),
            ),
            _section(
                "taking_part",
                t(
                    "Taking part",
                    "Līdzdalība",
                    "Dalyvavimas",
                    "Osalemine",
                    "Sodelovanje",
                    "Delaktighet",
                    "Osallistuminen",
                ),
            ),
            _agree(
                "friends_here",
                t(
                    "I have friends here.",
                    "Man te ir draugi.",
                    "Čia turiu draugų.",
                    "Mul on siin sõbrad.",
                    "Tukaj imam prijatelje.",
                    "Jag har kompisar här.",
                    "Minulla on täällä kavereita.",
                ),
            ),
            _agree(
                "activities_for_me",
                t(
                    "There are activities here that suit me.",
                    "Te ir nodarbes, kas man der.",
                    "Čia yra man tinkamos veiklos.",
                    "Siin on tegevusi, mis mulle sobivad.",
                    "Tukaj so dejavnosti, ki mi ustrezajo.",
                    "Här finns aktiviteter som passar mig.",
                    "Täällä on minulle sopivaa tekemistä.",
                ),
            ),
            _section(
                "about_you",
                t(
                    "About you",
                    "Par tevi",
                    "Apie tave",
                    "Sinust",
                    "O tebi",
                    "Om dig",
                    "Sinusta",
                ),
            ),
            _age(),
            _gender(),
            _what_else(),
        ],
    )


def group() -> SurveySpec:
    return SurveySpec(
        kind=SurveyKind.GROUP,
        title=t(
            "How was the group?",
            "Kā tev patika grupā?",
            "Kaip sekėsi grupėje?",
            "Kuidas grupis oli?",
            "Kako je bilo v skupini?",
            "Hur var gruppen?",
            "Millaista ryhmässä oli?",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "Feedback on one group or activity: whether it was good, whether you learned and "
            "could have your say, and what to change.",
            "Atsauksmes par vienu grupu vai nodarbi: vai bija labi, vai iemācījies ko jaunu un "
            "varēji izteikties, un ko mainīt.",
            "Atsiliepimas apie vieną grupę ar veiklą: ar buvo gerai, ar išmokai ir galėjai "
            "išsakyti nuomonę, ką pakeisti.",
            "Tagasiside ühele grupile või tegevusele: kas oli hea, kas õppisid ja said kaasa "
            "rääkida ning mida muuta.",
            "Povratne informacije o skupini ali dejavnosti: ali je bilo dobro, ali si se kaj "
            "naučil/-a in lahko povedal/-a svoje ter kaj spremeniti.",
            "Återkoppling på en grupp eller aktivitet: om den var bra, om du lärde dig och fick "
            "säga din mening, och vad som kan ändras.",
            "Palaute yhdestä ryhmästä tai toiminnasta: oliko se hyvää, opitko ja saitko sanoa "
            "mielipiteesi, ja mitä pitäisi muuttaa.",
        ),
        timing=t(
            "At the end of a group's term or of a project.",
            "Grupas sezonas vai projekta beigās.",
            "Grupės sezono ar projekto pabaigoje.",
            "Grupi hooaja või projekti lõpus.",
            "Ob koncu sezone skupine ali projekta.",
            "När en grupps termin eller ett projekt slutar.",
            "Ryhmän kauden tai projektin lopussa.",
        ),
        citation=OURS,
        minutes=4,
        lists=[_genders()],
        questions=[
            q(
                "overall",
                QuestionType.SMILEY,
                t(
                    "How did you like the group?",
                    "Cik ļoti tev patika grupā?",
                    "Kaip tau patiko grupėje?",
                    "Kuidas sulle grupp meeldis?",
                    "Kako ti je bila skupina všeč?",
                    "Hur tyckte du om gruppen?",
                    "Miten pidit ryhmästä?",
                ),
                required=True,
            ),
            _agree(
                "learned",
                t(
                    "I learned something in the group.",
                    "Grupā es kaut ko iemācījos.",
                    "Grupėje kažko išmokau.",
                    "Ma õppisin grupis midagi.",
                    "V skupini sem se nekaj naučil/-a.",
                    "Jag lärde mig något i gruppen.",
                    "Opin ryhmässä jotain.",
                ),
            ),
            _agree(
                "had_a_say",
                t(
                    "I could have my say about what we did.",
                    "Es varēju teikt savu vārdu par to, ko darījām.",
                    "Galėjau išsakyti nuomonę apie tai, ką darėme.",
                    "Sain kaasa rääkida selles, mida tegime.",
                    "Lahko sem povedal/-a svoje o tem, kaj smo delali.",
                    "Jag fick säga vad jag tyckte om det vi gjorde.",
                    "Sain sanoa mielipiteeni siitä, mitä teimme.",
                ),
            ),
            _agree(
                "felt_welcome",
                t(
                    "I felt welcome in the group.",
                    "Grupā es jutos gaidīts.",
                    "Grupėje jaučiausi laukiamas (-a).",
                    "Ma tundsin end grupis oodatuna.",
                    "V skupini sem se počutil/-a dobrodošlo.",
                    "Jag kände mig välkommen i gruppen.",
                    "Tunsin itseni tervetulleeksi ryhmään.",
                ),
            ),
            q(
                "change",
                QuestionType.LONG_TEXT,
                t(
                    "What should we change?",
                    "Ko mums vajadzētu mainīt?",
                    "Ką turėtume pakeisti?",
                    "Mida peaksime muutma?",
                    "Kaj bi morali spremeniti?",
                    "Vad borde vi ändra?",
                    "Mitä meidän pitäisi muuttaa?",
                ),
            ),
            _age(),
            _gender(),
        ],
    )


def exit_survey() -> SurveySpec:
    return SurveySpec(
        kind=SurveyKind.EXIT,
        title=t(
            "How was today?",
            "Kā šodien gāja?",
            "Kaip šiandien sekėsi?",
            "Kuidas täna oli?",
            "Kako je bilo danes?",
            "Hur var det i dag?",
            "Millainen päivä oli?",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "Three quick questions at the door: how it was, whether you felt welcome, and one "
            "thing to tell us.",
            "Trīs ātri jautājumi pie durvīm: kā gāja, vai juties gaidīts un viena lieta, ko "
            "pastāstīt.",
            "Trys greiti klausimai prie durų: kaip sekėsi, ar jauteisi laukiamas ir ką nori "
            "pasakyti.",
            "Kolm kiiret küsimust ukse juures: kuidas oli, kas tundsid end oodatuna ja üks asi, "
            "mida meile öelda.",
            "Tri hitra vprašanja ob odhodu: kako je bilo, ali si se počutil/-a dobrodošlo in "
            "ena stvar, ki nam jo želiš povedati.",
            "Tre snabba frågor vid dörren: hur det var, om du kände dig välkommen och en sak du "
            "vill säga.",
            "Kolme nopeaa kysymystä ovella: millaista oli, tunsitko olosi tervetulleeksi ja yksi "
            "asia, jonka haluat kertoa.",
        ),
        timing=t(
            "Any day, when young people leave (on a kiosk or a table card).",
            "Jebkurā dienā, kad jaunieši dodas prom (kioskā vai ar galda karti).",
            "Bet kurią dieną, kai jaunimas išeina (kioske ar su stalo kortele).",
            "Mis tahes päeval, kui noored lahkuvad (kioskis või lauakaardiga).",
            "Kateri koli dan, ko mladi odhajajo (na kiosku ali z namizno kartico).",
            "Vilken dag som helst, när de unga går hem (på en kiosk eller ett bordskort).",
            "Minä päivänä tahansa, kun nuoret lähtevät (kioskilla tai pöytäkortilla).",
        ),
        citation=OURS,
        minutes=1,
        questions=[
            q(
                "today",
                QuestionType.SMILEY,
                t(
                    "How was today?",
                    "Kā šodien gāja?",
                    "Kaip šiandien sekėsi?",
                    "Kuidas täna oli?",
                    "Kako je bilo danes?",
                    "Hur var det i dag?",
                    "Millainen päivä oli?",
                ),
                required=True,
            ),
            q(
                "welcome",
                QuestionType.YES_NO,
                t(
                    "Did you feel welcome?",
                    "Vai tu juties gaidīts?",
                    "Ar jauteisi laukiamas (-a)?",
                    "Kas tundsid end oodatuna?",
                    "Si se počutil/-a dobrodošlo?",
                    "Kände du dig välkommen?",
                    "Tunsitko olosi tervetulleeksi?",
                ),
            ),
            q(
                "tell_us",
                QuestionType.SHORT_TEXT,
                t(
                    "One thing you want to tell us:",
                    "Viena lieta, ko gribi mums pateikt:",
                    "Vienas dalykas, kurį nori mums pasakyti:",
                    "Üks asi, mida tahad meile öelda:",
                    "Ena stvar, ki nam jo želiš povedati:",
                    "En sak du vill säga till oss:",
                    "Yksi asia, jonka haluat kertoa meille:",
                ),
            ),
        ],
    )


def satisfaction() -> SurveySpec:
    return SurveySpec(
        kind=SurveyKind.SATISFACTION,
        title=t(
            "What do you think of us?",
            "Ko tu par mums domā?",
            "Ką apie mus manai?",
            "Mida sa meist arvad?",
            "Kaj meniš o nas?",
            "Vad tycker du om oss?",
            "Mitä mieltä olet meistä?",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "Yearly participant satisfaction: the activities, the staff, the opening hours and "
            "whether you would recommend us.",
            "Ikgadējā dalībnieku apmierinātība: nodarbes, darbinieki, darba laiks un vai tu mūs "
            "ieteiktu citiem.",
            "Metinis dalyvių pasitenkinimas: veiklos, darbuotojai, darbo laikas ir ar "
            "rekomenduotum mus kitiems.",
            "Osalejate iga-aastane rahulolu: tegevused, töötajad, lahtiolekuajad ja kas "
            "soovitaksid meid teistele.",
            "Letno zadovoljstvo udeležencev: dejavnosti, zaposleni, odpiralni čas in ali bi nas "
            "priporočil/-a drugim.",
            "Deltagarnas årliga nöjdhet: aktiviteterna, personalen, öppettiderna och om du "
            "skulle rekommendera oss.",
            "Osallistujien vuosittainen tyytyväisyys: toiminta, työntekijät, aukioloajat ja "
            "suosittelisitko meitä muille.",
        ),
        timing=t(
            "Once a year, for example in spring.",
            "Reizi gadā, piemēram, pavasarī.",
            "Kartą per metus, pavyzdžiui, pavasarį.",
            "Kord aastas, näiteks kevadel.",
            "Enkrat na leto, na primer spomladi.",
            "En gång om året, till exempel på våren.",
            "Kerran vuodessa, esimerkiksi keväällä.",
        ),
        citation=OURS,
        minutes=4,
        lists=[_genders()],
        questions=[
            _agree(
                "good_activities",
                t(
                    "The activities here are good.",
                    "Nodarbes te ir labas.",
                    "Veiklos čia yra geros.",
                    "Tegevused on siin head.",
                    "Dejavnosti so tukaj dobre.",
                    "Aktiviteterna här är bra.",
                    "Toiminta täällä on hyvää.",
                ),
            ),
            _agree(
                "staff_listen",
                t(
                    "The staff listen to me.",
                    "Darbinieki mani uzklausa.",
                    "Darbuotojai manęs išklauso.",
                    "Töötajad kuulavad mind.",
                    "Zaposleni me poslušajo.",
                    "Personalen lyssnar på mig.",
                    "Työntekijät kuuntelevat minua.",
                ),
            ),
            _agree(
                "hours_suit",
                t(
                    "The opening hours suit me.",
                    "Darba laiks man der.",
                    "Darbo laikas man tinka.",
                    "Lahtiolekuajad sobivad mulle.",
                    "Odpiralni čas mi ustreza.",
                    "Öppettiderna passar mig.",
                    "Aukioloajat sopivat minulle.",
                ),
            ),
            q(
                "recommend",
                QuestionType.SCALE_10,
                t(
                    "How likely are you to tell a friend to come here? (0 not at all, 10 very)",
                    "Cik ticams, ka tu ieteiktu draugam nākt šurp? (0 nemaz, 10 ļoti)",
                    "Kaip tikėtina, kad pakviestum draugą čia ateiti? (0 visai ne, 10 labai)",
                    "Kui tõenäoliselt kutsuksid sõbra siia? (0 üldse mitte, 10 väga)",
                    "Kako verjetno bi prijatelju rekel/-a, naj pride sem? (0 sploh ne, 10 zelo)",
                    "Hur troligt är det att du tipsar en kompis om att komma hit? (0 inte alls, "
                    "10 mycket)",
                    "Kuinka todennäköisesti kehottaisit kaveria tulemaan tänne? (0 en lainkaan, "
                    "10 erittäin)",
                ),
                required=True,
            ),
            q(
                "best",
                QuestionType.LONG_TEXT,
                t(
                    "What is the best thing here?",
                    "Kas te ir vislabākais?",
                    "Kas čia yra geriausia?",
                    "Mis on siin kõige parem?",
                    "Kaj je tukaj najboljše?",
                    "Vad är det bästa här?",
                    "Mikä täällä on parasta?",
                ),
            ),
            _age(),
            _gender(),
        ],
    )


def volunteer() -> SurveySpec:
    return SurveySpec(
        kind=SurveyKind.VOLUNTEER,
        title=t(
            "Volunteering with us",
            "Brīvprātīgais darbs pie mums",
            "Savanorystė pas mus",
            "Vabatahtlikuna meie juures",
            "Prostovoljstvo pri nas",
            "Att vara volontär hos oss",
            "Vapaaehtoisena meillä",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "Yearly survey of volunteers: support, meaningful tasks, what they learned and "
            "whether they will go on.",
            "Ikgadējā brīvprātīgo aptauja: atbalsts, jēgpilni uzdevumi, ko viņi iemācījušies "
            "un vai turpinās.",
            "Metinė savanorių apklausa: parama, prasmingos užduotys, ko išmoko ir ar tęs.",
            "Vabatahtlike iga-aastane küsitlus: tugi, mõtestatud ülesanded, mida õpiti ja kas "
            "jätkatakse.",
            "Letna anketa za prostovoljce: podpora, smiselne naloge, kaj so se naučili in ali "
            "bodo nadaljevali.",
            "Årlig enkät till volontärer: stöd, meningsfulla uppgifter, vad de lärt sig och om "
            "de fortsätter.",
            "Vapaaehtoisten vuosikysely: tuki, merkitykselliset tehtävät, mitä he oppivat ja "
            "jatkavatko he.",
        ),
        timing=t(
            "Once a year, or when a volunteer finishes.",
            "Reizi gadā vai tad, kad brīvprātīgais beidz.",
            "Kartą per metus arba kai savanoris baigia.",
            "Kord aastas või kui vabatahtlik lõpetab.",
            "Enkrat na leto ali ko prostovoljec zaključi.",
            "En gång om året, eller när en volontär slutar.",
            "Kerran vuodessa tai kun vapaaehtoinen lopettaa.",
        ),
        citation=OURS,
        minutes=5,
        lists=[_genders()],
        questions=[
            _agree(
                "supported",
                t(
                    "I get the support I need as a volunteer.",
                    "Kā brīvprātīgais es saņemu vajadzīgo atbalstu.",
                    "Kaip savanoris gaunu reikiamą paramą.",
                    "Saan vabatahtlikuna vajalikku tuge.",
                    "Kot prostovoljec/-ka dobim podporo, ki jo potrebujem.",
                    "Jag får det stöd jag behöver som volontär.",
                    "Saan vapaaehtoisena tarvitsemani tuen.",
                ),
            ),
            _agree(
                "meaningful",
                t(
                    "My tasks feel meaningful.",
                    "Mani uzdevumi šķiet jēgpilni.",
                    "Mano užduotys atrodo prasmingos.",
                    "Minu ülesanded tunduvad mõttekad.",
                    "Moje naloge se mi zdijo smiselne.",
                    "Mina uppgifter känns meningsfulla.",
                    "Tehtäväni tuntuvat merkityksellisiltä.",
                ),
            ),
            _agree(
                "learned",
                t(
                    "I have learned new skills by volunteering.",
                    "Brīvprātīgajā darbā esmu apguvis jaunas prasmes.",
                    "Savanoriaudamas (-a) išmokau naujų įgūdžių.",
                    "Olen vabatahtlikuna uusi oskusi õppinud.",
                    "S prostovoljstvom sem pridobil/-a nove veščine.",
                    "Jag har lärt mig nya färdigheter som volontär.",
                    "Olen oppinut vapaaehtoisena uusia taitoja.",
                ),
            ),
            q(
                "go_on",
                QuestionType.YES_NO,
                t(
                    "Will you go on volunteering with us next year?",
                    "Vai nākamgad turpināsi brīvprātīgo darbu pie mums?",
                    "Ar kitais metais toliau savanoriausi pas mus?",
                    "Kas jätkad järgmisel aastal meie juures vabatahtlikuna?",
                    "Boš naslednje leto še prostovoljec/-ka pri nas?",
                    "Fortsätter du som volontär hos oss nästa år?",
                    "Jatkatko vapaaehtoisena meillä ensi vuonna?",
                ),
            ),
            q(
                "improve",
                QuestionType.LONG_TEXT,
                t(
                    "What would make volunteering here better?",
                    "Kas padarītu brīvprātīgo darbu te labāku?",
                    "Kas pagerintų savanorystę čia?",
                    "Mis teeks vabatahtliku töö siin paremaks?",
                    "Kaj bi izboljšalo prostovoljstvo pri nas?",
                    "Vad skulle göra volontärarbetet här bättre?",
                    "Mikä tekisi vapaaehtoistyöstä täällä paremman?",
                ),
            ),
            _age(),
            _gender(),
        ],
    )


def stakeholder() -> SurveySpec:
    who = ListSpec(
        "who",
        [
            ChoiceSpec(
                "teacher",
                t("Teacher", "Skolotājs", "Mokytojas", "Õpetaja", "Učitelj", "Lärare", "Opettaja"),
            ),
            ChoiceSpec(
                "coordinator",
                t(
                    "Coordinator",
                    "Koordinators",
                    "Koordinatorius",
                    "Koordinaator",
                    "Koordinator",
                    "Samordnare",
                    "Koordinaattori",
                ),
            ),
            ChoiceSpec(
                "sponsor",
                t(
                    "Sponsor or funder",
                    "Sponsors vai finansētājs",
                    "Rėmėjas ar finansuotojas",
                    "Toetaja või rahastaja",
                    "Sponzor ali financer",
                    "Sponsor eller finansiär",
                    "Tukija tai rahoittaja",
                ),
            ),
            ChoiceSpec(
                "partner",
                t(
                    "Partner organisation",
                    "Partnerorganizācija",
                    "Partnerė organizacija",
                    "Partnerorganisatsioon",
                    "Partnerska organizacija",
                    "Samarbetsorganisation",
                    "Kumppaniorganisaatio",
                ),
            ),
            ChoiceSpec(
                "parent",
                t(
                    "Parent or guardian",
                    "Vecāks vai aizbildnis",
                    "Tėvas, mama ar globėjas",
                    "Lapsevanem või hooldaja",
                    "Starš ali skrbnik",
                    "Förälder eller vårdnadshavare",
                    "Vanhempi tai huoltaja",
                ),
            ),
            ChoiceSpec("other", t("Other", "Cits", "Kita", "Muu", "Drugo", "Annat", "Muu")),
        ],
    )
    return SurveySpec(
        kind=SurveyKind.STAKEHOLDER,
        title=t(
            "Your view of our youth work",
            "Jūsu skatījums uz mūsu jaunatnes darbu",
            "Jūsų požiūris į mūsų darbą su jaunimu",
            "Teie vaade meie noorsootööle",
            "Vaše mnenje o našem mladinskem delu",
            "Din syn på vårt arbete med unga",
            "Näkemyksesi nuorisotyöstämme",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "Feedback from the people around the young: teachers, coordinators, sponsors, "
            "partners and parents.",
            "Atsauksmes no cilvēkiem jauniešu apkārtnē: skolotājiem, koordinatoriem, "
            "sponsoriem, partneriem un vecākiem.",
            "Atsiliepimai iš jaunimo aplinkos žmonių: mokytojų, koordinatorių, rėmėjų, partnerių "
            "ir tėvų.",
            "Tagasiside noorte ümber olevatelt inimestelt: õpetajatelt, koordinaatoritelt, "
            "toetajatelt, partneritelt ja vanematelt.",
            "Povratne informacije ljudi okoli mladih: učiteljev, koordinatorjev, sponzorjev, "
            "partnerjev in staršev.",
            "Återkoppling från dem runt de unga: lärare, samordnare, sponsorer, "
            "samarbetspartner och föräldrar.",
            "Palaute nuorten ympärillä olevilta: opettajilta, koordinaattoreilta, tukijoilta, "
            "kumppaneilta ja vanhemmilta.",
        ),
        timing=t(
            "Once a year, or at the end of a project.",
            "Reizi gadā vai projekta beigās.",
            "Kartą per metus arba projekto pabaigoje.",
            "Kord aastas või projekti lõpus.",
            "Enkrat na leto ali ob koncu projekta.",
            "En gång om året, eller när ett projekt slutar.",
            "Kerran vuodessa tai projektin lopussa.",
        ),
        citation=OURS,
        minutes=5,
        lists=[who],
        questions=[
            q(
                "who",
                QuestionType.SINGLE,
                t(
                    "Who are you?",
                    "Kas jūs esat?",
                    "Kas jūs esate?",
                    "Kes te olete?",
                    "Kdo ste?",
                    "Vem är du?",
                    "Kuka olet?",
                ),
                list_name="who",
                required=True,
            ),
            _agree(
                "good_for_young",
                t(
                    "The youth work here is good for young people.",
                    "Šeit veiktais jaunatnes darbs nāk jauniešiem par labu.",
                    "Čia vykdomas darbas su jaunimu yra naudingas jaunimui.",
                    "Siinne noorsootöö on noortele kasulik.",
                    "Mladinsko delo tukaj koristi mladim.",
                    "Arbetet med unga här är bra för de unga.",
                    "Täällä tehtävä nuorisotyö on hyväksi nuorille.",
                ),
            ),
            _agree(
                "good_cooperation",
                t(
                    "Working together with the staff goes well.",
                    "Sadarbība ar darbiniekiem izdodas labi.",
                    "Bendradarbiavimas su darbuotojais sekasi gerai.",
                    "Koostöö töötajatega sujub hästi.",
                    "Sodelovanje z zaposlenimi poteka dobro.",
                    "Samarbetet med personalen fungerar bra.",
                    "Yhteistyö työntekijöiden kanssa sujuu hyvin.",
                ),
            ),
            _agree(
                "informed",
                t(
                    "I get enough information about what is going on.",
                    "Es saņemu pietiekami informācijas par to, kas notiek.",
                    "Gaunu pakankamai informacijos apie tai, kas vyksta.",
                    "Saan piisavalt teavet selle kohta, mis toimub.",
                    "Dobim dovolj informacij o tem, kaj se dogaja.",
                    "Jag får tillräckligt med information om vad som händer.",
                    "Saan tarpeeksi tietoa siitä, mitä tapahtuu.",
                ),
            ),
            q(
                "suggestions",
                QuestionType.LONG_TEXT,
                t(
                    "What should we do more of, or differently?",
                    "Ko mums vajadzētu darīt vairāk vai citādi?",
                    "Ką turėtume daryti daugiau ar kitaip?",
                    "Mida peaksime tegema rohkem või teisiti?",
                    "Kaj bi morali delati več ali drugače?",
                    "Vad borde vi göra mer av, eller annorlunda?",
                    "Mitä meidän pitäisi tehdä enemmän tai toisin?",
                ),
            ),
        ],
    )


def needs() -> SurveySpec:
    problems = ListSpec(
        "problems",
        [
            ChoiceSpec(
                "nothing_to_do",
                t(
                    "Nothing to do in free time",
                    "Nav ko darīt brīvajā laikā",
                    "Nėra ką veikti laisvalaikiu",
                    "Vabal ajal pole midagi teha",
                    "V prostem času ni kaj početi",
                    "Inget att göra på fritiden",
                    "Vapaa-ajalla ei ole tekemistä",
                ),
            ),
            ChoiceSpec(
                "loneliness",
                t(
                    "Loneliness",
                    "Vientulība",
                    "Vienatvė",
                    "Üksildus",
                    "Osamljenost",
                    "Ensamhet",
                    "Yksinäisyys",
                ),
            ),
            ChoiceSpec(
                "school_stress",
                t(
                    "Stress about school",
                    "Stress skolas dēļ",
                    "Stresas dėl mokyklos",
                    "Koolistress",
                    "Stres zaradi šole",
                    "Stress över skolan",
                    "Koulustressi",
                ),
            ),
            ChoiceSpec(
                "unsafe",
                t(
                    "Not feeling safe in the area",
                    "Nedrošība apkaimē",
                    "Nesaugumas rajone",
                    "Piirkonnas pole turvaline",
                    "Občutek nevarnosti v okolici",
                    "Otrygghet i området",
                    "Turvattomuus asuinalueella",
                ),
            ),
            ChoiceSpec(
                "money",
                t(
                    "Not enough money",
                    "Nepietiek naudas",
                    "Trūksta pinigų",
                    "Raha ei jätku",
                    "Premalo denarja",
                    "För lite pengar",
                    "Rahaa ei ole tarpeeksi",
                ),
            ),
            ChoiceSpec(
                "work",
                t(
                    "Hard to find work",
                    "Grūti atrast darbu",
                    "Sunku rasti darbą",
                    "Tööd on raske leida",
                    "Težko je najti delo",
                    "Svårt att hitta jobb",
                    "Töitä on vaikea löytää",
                ),
            ),
            ChoiceSpec(
                "transport",
                t(
                    "Hard to get to places",
                    "Grūti nokļūt, kur vajag",
                    "Sunku nuvykti, kur reikia",
                    "Kohtadesse on raske pääseda",
                    "Težko je priti, kamor želim",
                    "Svårt att ta sig till platser",
                    "Paikkoihin on vaikea päästä",
                ),
            ),
            ChoiceSpec("other", t("Other", "Cits", "Kita", "Muu", "Drugo", "Annat", "Muu")),
        ],
    )
    return SurveySpec(
        kind=SurveyKind.NEEDS,
        title=t(
            "What do young people here need?",
            "Kas vajadzīgs šejienes jauniešiem?",
            "Ko reikia vietos jaunimui?",
            "Mida siinsed noored vajavad?",
            "Kaj potrebujejo mladi tukaj?",
            "Vad behöver unga här?",
            "Mitä täkäläiset nuoret tarvitsevat?",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "The problems and needs of a target group, to plan new work or apply for funding.",
            "Mērķgrupas problēmas un vajadzības, lai plānotu jaunu darbu vai pieteiktos "
            "finansējumam.",
            "Tikslinės grupės problemos ir poreikiai, norint planuoti naują veiklą ar prašyti "
            "finansavimo.",
            "Sihtrühma probleemid ja vajadused, et kavandada uut tööd või taotleda rahastust.",
            "Težave in potrebe ciljne skupine, za načrtovanje novega dela ali prijavo na razpis.",
            "En målgrupps problem och behov, för att planera nytt arbete eller söka finansiering.",
            "Kohderyhmän ongelmat ja tarpeet uuden toiminnan suunnitteluun tai rahoituksen "
            "hakemiseen.",
        ),
        timing=t(
            "Before planning a new activity or a funding application.",
            "Pirms plānot jaunu nodarbi vai finansējuma pieteikumu.",
            "Prieš planuojant naują veiklą ar paraišką finansavimui.",
            "Enne uue tegevuse või rahastustaotluse kavandamist.",
            "Preden načrtujete novo dejavnost ali prijavo na razpis.",
            "Innan ni planerar en ny aktivitet eller söker pengar.",
            "Ennen uuden toiminnan tai rahoitushakemuksen suunnittelua.",
        ),
        citation=OURS,
        minutes=6,
        lists=[problems, _genders()],
        questions=[
            q(
                "problems",
                QuestionType.MULTIPLE,
                t(
                    "What are the biggest problems for young people where you live?",
                    "Kādas ir lielākās problēmas jauniešiem tur, kur tu dzīvo?",
                    "Kokios didžiausios problemos jaunimui ten, kur gyveni?",
                    "Millised on noorte suurimad probleemid seal, kus sa elad?",
                    "Katere so največje težave mladih tam, kjer živiš?",
                    "Vilka är de största problemen för unga där du bor?",
                    "Mitkä ovat nuorten suurimmat ongelmat siellä, missä asut?",
                ),
                hint=t(
                    "Choose all that fit.",
                    "Izvēlies visus, kas der.",
                    "Pasirink visus tinkamus.",
                    "Vali kõik sobivad.",
                    "Izberi vse, kar velja.",
                    "Välj alla som passar.",
                    "Valitse kaikki sopivat.",
                ),
                list_name="problems",
                required=True,
            ),
            q(
                "other_problem",
                QuestionType.SHORT_TEXT,
                t(
                    "What other problem?",
                    "Kāda cita problēma?",
                    "Kokia kita problema?",
                    "Milline muu probleem?",
                    "Katera druga težava?",
                    "Vilket annat problem?",
                    "Mikä muu ongelma?",
                ),
                relevant="selected(${problems}, 'other')",
            ),
            q(
                "wish",
                QuestionType.LONG_TEXT,
                t(
                    "What would you like to have or do that is missing now?",
                    "Ko tu gribētu, lai būtu vai ko darīt, bet tagad tā trūkst?",
                    "Ko norėtum turėti ar veikti, ko dabar trūksta?",
                    "Mida tahaksid, et oleks või mida teha, aga praegu puudub?",
                    "Kaj bi rad/-a imel/-a ali počel/-a, pa zdaj manjka?",
                    "Vad skulle du vilja ha eller göra som saknas nu?",
                    "Mitä haluaisit, että olisi tai mitä tehdä, mutta nyt puuttuu?",
                ),
            ),
            _agree(
                "enough_places",
                t(
                    "There are enough places for young people to meet here.",
                    "Te ir pietiekami daudz vietu, kur jauniešiem satikties.",
                    "Čia pakanka vietų jaunimui susitikti.",
                    "Siin on noortele piisavalt kohti, kus kokku saada.",
                    "Tukaj je dovolj prostorov, kjer se mladi lahko srečujejo.",
                    "Det finns tillräckligt med platser där unga kan träffas här.",
                    "Täällä on tarpeeksi paikkoja, joissa nuoret voivat tavata.",
                ),
            ),
            _age(),
            _gender(),
        ],
    )


def pre_post() -> SurveySpec:
    levels = ListSpec(
        "levels",
        [ChoiceSpec(str(level.value), _translated(level.label)) for level in Level],
    )
    return SurveySpec(
        kind=SurveyKind.PRE_POST,
        title=t(
            "What can I do? Key competences",
            "Ko es protu? Pamatkompetences",
            "Ką aš moku? Bendrosios kompetencijos",
            "Mida ma oskan? Võtmepädevused",
            "Kaj znam? Ključne kompetence",
            "Vad kan jag? Nyckelkompetenser",
            "Mitä osaan? Avaintaidot",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "A self-assessment of the eight key competences, answered at the start and again "
            "at the end, so that you see what you learned. The same words and levels as the "
            "young person's progress pages.",
            "Pašvērtējums par astoņām pamatkompetencēm sākumā un vēlreiz beigās, lai redzētu, "
            "ko esi iemācījies. Tie paši vārdi un līmeņi kā jaunieša izaugsmes lapās.",
            "Aštuonių bendrųjų kompetencijų įsivertinimas pradžioje ir dar kartą pabaigoje, kad "
            "pamatytum, ko išmokai. Tie patys žodžiai ir lygiai kaip jauno žmogaus pažangos "
            "puslapiuose.",
            "Kaheksa võtmepädevuse enesehinnang alguses ja uuesti lõpus, et näeksid, mida "
            "õppisid. Samad sõnad ja tasemed mis noore arengulehtedel.",
            "Samoocena osmih ključnih kompetenc na začetku in ponovno na koncu, da vidiš, kaj si "
            "se naučil/-a. Iste besede in ravni kot na straneh o napredku mladega.",
            "En självskattning av de åtta nyckelkompetenserna i början och igen i slutet, så "
            "att du ser vad du lärt dig. Samma ord och nivåer som den ungas sidor om utveckling.",
            "Kahdeksan avaintaidon itsearviointi alussa ja uudelleen lopussa, jotta näet, mitä "
            "opit. Samat sanat ja tasot kuin nuoren oppimissivuilla.",
        ),
        timing=t(
            "At the start and at the end of a project, a course or an exchange.",
            "Projekta, kursa vai apmaiņas sākumā un beigās.",
            "Projekto, kurso ar mainų pradžioje ir pabaigoje.",
            "Projekti, kursuse või vahetuse alguses ja lõpus.",
            "Na začetku in ob koncu projekta, tečaja ali izmenjave.",
            "I början och i slutet av ett projekt, en kurs eller ett utbyte.",
            "Projektin, kurssin tai vaihdon alussa ja lopussa.",
        ),
        citation=OURS
        + "; key competences for lifelong learning, Council Recommendation of 22 May 2018",
        minutes=5,
        lists=[levels],
        questions=[
            q(
                "intro",
                QuestionType.NOTE,
                t(
                    "How well can you do each of these now? There are no wrong answers.",
                    "Cik labi tu šobrīd proti katru no šīm lietām? Nepareizu atbilžu nav.",
                    "Kaip gerai dabar moki kiekvieną iš šių dalykų? Neteisingų atsakymų nėra.",
                    "Kui hästi sa praegu igaüht neist oskad? Valesid vastuseid pole.",
                    "Kako dobro zdaj obvladaš vsako od teh stvari? Napačnih odgovorov ni.",
                    "Hur bra kan du var och en av de här nu? Det finns inga fel svar.",
                    "Kuinka hyvin osaat nyt kunkin näistä? Vääriä vastauksia ei ole.",
                ),
            ),
            *[
                q(
                    competence.value,
                    QuestionType.SINGLE,
                    _translated(competence.label),
                    list_name="levels",
                    required=True,
                )
                for competence in KeyCompetence
            ],
        ],
    )


def who5() -> SurveySpec:
    often = ListSpec(
        "how_often",
        [
            ChoiceSpec(
                "5",
                t(
                    "All of the time",
                    "Visu laiku",
                    "Visą laiką",
                    "Kogu aeg",
                    "Ves čas",
                    "Hela tiden",
                    "Koko ajan",
                ),
            ),
            ChoiceSpec(
                "4",
                t(
                    "Most of the time",
                    "Lielāko daļu laika",
                    "Didžiąją laiko dalį",
                    "Enamiku ajast",
                    "Večino časa",
                    "Största delen av tiden",
                    "Suurimman osan ajasta",
                ),
            ),
            ChoiceSpec(
                "3",
                t(
                    "More than half of the time",
                    "Vairāk nekā pusi laika",
                    "Daugiau nei pusę laiko",
                    "Üle poole ajast",
                    "Več kot polovico časa",
                    "Mer än halva tiden",
                    "Yli puolet ajasta",
                ),
            ),
            ChoiceSpec(
                "2",
                t(
                    "Less than half of the time",
                    "Mazāk nekā pusi laika",
                    "Mažiau nei pusę laiko",
                    "Alla poole ajast",
                    "Manj kot polovico časa",
                    "Mindre än halva tiden",
                    "Alle puolet ajasta",
                ),
            ),
            ChoiceSpec(
                "1",
                t(
                    "Some of the time",
                    "Dažreiz",
                    "Kartais",
                    "Mõnikord",
                    "Včasih",
                    "En del av tiden",
                    "Osan aikaa",
                ),
            ),
            ChoiceSpec(
                "0",
                t(
                    "At no time",
                    "Nekad",
                    "Niekada",
                    "Mitte kunagi",
                    "Nikoli",
                    "Aldrig",
                    "En lainkaan",
                ),
            ),
        ],
    )
    items = [
        (
            "cheerful",
            t(
                "I have felt cheerful and in good spirits.",
                "Es esmu juties priecīgs un labā noskaņojumā.",
                "Jaučiausi linksmas (-a) ir geros nuotaikos.",
                "Olen tundnud end rõõmsa ja heas tujus olevana.",
                "Bil/-a sem dobre volje in razpoložen/-a.",
                "Jag har känt mig glad och på gott humör.",
                "Olen tuntenut itseni iloiseksi ja hyväntuuliseksi.",
            ),
        ),
        (
            "calm",
            t(
                "I have felt calm and relaxed.",
                "Es esmu juties mierīgs un atslābis.",
                "Jaučiausi ramus (-i) ir atsipalaidavęs (-usi).",
                "Olen tundnud end rahulikuna ja pingevabana.",
                "Počutil/-a sem se mirno in sproščeno.",
                "Jag har känt mig lugn och avslappnad.",
                "Olen tuntenut itseni rauhalliseksi ja rentoutuneeksi.",
            ),
        ),
        (
            "active",
            t(
                "I have felt active and vigorous.",
                "Es esmu juties aktīvs un enerģisks.",
                "Jaučiausi aktyvus (-i) ir energingas (-a).",
                "Olen tundnud end aktiivse ja energilisena.",
                "Počutil/-a sem se dejavno in polno energije.",
                "Jag har känt mig aktiv och energisk.",
                "Olen tuntenut itseni aktiiviseksi ja tarmokkaaksi.",
            ),
        ),
        (
            "rested",
            t(
                "I woke up feeling fresh and rested.",
                "Es pamodos svaigs un atpūties.",
                "Pabusdavau žvalus (-i) ir pailsėjęs (-usi).",
                "Olen ärganud värskena ja väljapuhanuna.",
                "Zbudil/-a sem se svež/-a in spočit/-a.",
                "Jag har vaknat pigg och utvilad.",
                "Olen herännyt virkeänä ja levänneenä.",
            ),
        ),
        (
            "interest",
            t(
                "My daily life has been filled with things that interest me.",
                "Mana ikdiena ir bijusi pilna ar lietām, kas mani interesē.",
                "Mano kasdienybė buvo kupina dalykų, kurie mane domina.",
                "Minu igapäevaelu on olnud täis asju, mis mind huvitavad.",
                "Moje vsakdanje življenje je bilo polno stvari, ki me zanimajo.",
                "Min vardag har varit fylld av saker som intresserar mig.",
                "Arkeni on ollut täynnä asioita, jotka kiinnostavat minua.",
            ),
        ),
    ]
    return SurveySpec(
        kind=SurveyKind.SCALE,
        title=t(
            "WHO-5 Well-Being Index",
            "PVO-5 labizjūtas indekss (WHO-5)",
            "PSO-5 gerovės indeksas (WHO-5)",
            "WHO-5 heaoluindeks",
            "Indeks dobrega počutja WHO-5",
            "WHO-5 välbefinnandeindex",
            "WHO-5-hyvinvointi-indeksi",
        ),
        languages=list(LANGUAGES),
        purpose=t(
            "Five published statements on how you have felt over the last two weeks, each "
            "scored 0–5 (total 0–25, times 4 gives 0–100). A measure of well-being, not a "
            "diagnosis.",
            "Pieci publicēti apgalvojumi par to, kā esi juties pēdējās divās nedēļās, katrs no "
            "0 līdz 5 (kopā 0–25, reizinot ar 4, iegūst 0–100). Labizjūtas mērs, nevis diagnoze.",
            "Penki paskelbti teiginiai apie tai, kaip jauteisi per pastarąsias dvi savaites, "
            "kiekvienas 0–5 (iš viso 0–25, padauginus iš 4 – 0–100). Gerovės matas, ne diagnozė.",
            "Viis avaldatud väidet selle kohta, kuidas oled end viimase kahe nädala jooksul "
            "tundnud, igaüks 0–5 (kokku 0–25, korda 4 annab 0–100). Heaolu mõõt, mitte diagnoos.",
            "Pet objavljenih trditev o tem, kako si se počutil/-a zadnja dva tedna, vsaka 0–5 "
            "(skupaj 0–25, krat 4 da 0–100). Merilo dobrega počutja, ne diagnoza.",
            "Fem publicerade påståenden om hur du har mått de senaste två veckorna, vart och ett "
            "0–5 (totalt 0–25, gånger 4 ger 0–100). Ett mått på välbefinnande, inte en diagnos.",
            "Viisi julkaistua väittämää siitä, miltä sinusta on tuntunut kahden viime viikon "
            "aikana, kukin 0–5 (yhteensä 0–25, kertaa 4 antaa 0–100). Hyvinvoinnin mittari, ei "
            "diagnoosi.",
        ),
        timing=t(
            "At the start and end of a longer activity, or twice a year.",
            "Ilgākas nodarbes sākumā un beigās vai divreiz gadā.",
            "Ilgesnės veiklos pradžioje ir pabaigoje arba du kartus per metus.",
            "Pikema tegevuse alguses ja lõpus või kaks korda aastas.",
            "Na začetku in koncu daljše dejavnosti ali dvakrat na leto.",
            "I början och slutet av en längre aktivitet, eller två gånger om året.",
            "Pidemmän toiminnan alussa ja lopussa tai kahdesti vuodessa.",
        ),
        citation=WHO5_CITATION,
        minutes=2,
        lists=[often],
        questions=[
            q(
                "intro",
                QuestionType.NOTE,
                t(
                    "Please choose for each of the five statements the answer closest to how "
                    "you have been feeling over the last two weeks.",
                    "Lūdzu, pie katra no pieciem apgalvojumiem izvēlies atbildi, kas vislabāk "
                    "atbilst tam, kā esi juties pēdējās divās nedēļās.",
                    "Prie kiekvieno iš penkių teiginių pasirink atsakymą, kuris geriausiai "
                    "atitinka, kaip jauteisi per pastarąsias dvi savaites.",
                    "Vali iga viie väite juures vastus, mis kõige paremini kirjeldab, kuidas oled "
                    "end viimase kahe nädala jooksul tundnud.",
                    "Pri vsaki od petih trditev izberi odgovor, ki najbolje opiše, kako si se "
                    "počutil/-a zadnja dva tedna.",
                    "Välj för vart och ett av de fem påståendena det svar som bäst stämmer med "
                    "hur du har mått de senaste två veckorna.",
                    "Valitse jokaisen viiden väittämän kohdalla vastaus, joka parhaiten kuvaa, "
                    "miltä sinusta on tuntunut kahden viime viikon aikana.",
                ),
                hint=t(
                    "Over the last two weeks…",
                    "Pēdējās divās nedēļās…",
                    "Per pastarąsias dvi savaites…",
                    "Viimase kahe nädala jooksul…",
                    "V zadnjih dveh tednih…",
                    "Under de senaste två veckorna…",
                    "Kahden viime viikon aikana…",
                ),
            ),
            *[
                q(name, QuestionType.SINGLE, label, list_name="how_often", required=True)
                for name, label in items
            ],
        ],
    )


# The library's order: the annual survey first, the published scale last.
TEMPLATES: dict[str, Callable[[], SurveySpec]] = {
    "annual": annual,
    "group": group,
    "exit": exit_survey,
    "satisfaction": satisfaction,
    "volunteer": volunteer,
    "stakeholder": stakeholder,
    "needs": needs,
    "pre_post": pre_post,
    "who5": who5,
}


def spec(key: str) -> SurveySpec:
    """A fresh copy of the built-in template `key`; KeyError when there is none."""
    return TEMPLATES[key]()
