"""The words of the reports in Swedish (the source of truth) and English.

Amounts stay in the Swedish format in both languages: the reports go to Swedish bodies, and an
English reader is better served by the figures the Swedish one sees.
"""

from __future__ import annotations

from collections.abc import Callable

# Looks up a label by key and fills in its fields: say("received", year=2020).
Say = Callable[..., str]

LANGUAGES = ("sv", "en")

LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "title.followup": "Uppföljning {year} års {fund}",
        "title.budget": "Budget {year} års {fund}",
        "title.budget.preliminary": "Preliminär budget {year} års {fund}",
        "printed": "Utskriven {date}",
        "page": "Sida {page} av {pages}",
        "table": "Tabell {number}. {caption}",
        "continued": "forts.",
        "status": "Status",
        "status.closed": "{year} är stängt; siffrorna är slutliga",
        "status.open": "{year} är inte stängt; siffrorna är preliminära",
        "status.budget": "Budget för {year}",
        "spend": "Förbrukas",
        "spend.window": "{start}–{end} (senast {until})",
        "spend.single": "{start} (senast {until})",
        "anchored": "Förankrat i",
        "decided": "Beslutat av",
        "decision": "Beslut",
        "col.goal_area": "Målområde",
        "col.activity": "Aktivitet",
        "col.note": "Anmärkning",
        "col.amount": "Summa (kr)",
        "col.item": "Post",
        "col.value": "Belopp (kr)",
        "col.project": "Projekt",
        "col.owner": "Projektägare och partner",
        "caption.lines.followup": "Utfall {year} per målområde och aktivitet",
        "caption.lines.budget": "Budget {year} per målområde och aktivitet",
        "caption.lines.followup.flat": "Utfall {year} per aktivitet",
        "caption.lines.budget.flat": "Budget {year} per aktivitet",
        "caption.summary.followup": "Erhållna medel, använt och resultat {year}",
        "caption.summary.budget": "Tillgängligt, budgeterat och ej budgeterat {year}",
        "caption.grants": "Beviljade projekt ur utlysningen {year}",
        "caption.grants.named": "Beviljade projekt ur {activity}",
        "total": "TOTALT",
        "granted_total": "Totalt beviljat",
        "unallocated": "Ej fördelade utlysningsmedel",
        "received": "Erhållna medel {year}",
        "carried_in": "Överfört från {year}",
        "returned_in": "Återfört från avslutade projekt i stängda år",
        "carried_in.preliminary": "Överfört från {year} (inte känt förrän {year} är stängt)",
        "covered_by": "Täckt av {source}: {activity}",
        "available": "Tillgängligt",
        "available.preliminary": "Tillgängligt (preliminärt)",
        "used": "Använt (TOTALT)",
        "budgeted": "Budgeterat (TOTALT)",
        "not_budgeted": "Ej budgeterat",
        "over_budgeted": "Överbudgeterat",
        "result_before_cover": "Resultat före täckning",
        "deficit_before_cover": "Underskott före täckning",
        "result": "Resultat",
        "result_after_cover": "Resultat efter täckning",
        "uncovered_deficit": "Underskott som ingen annan fond täcker",
        "dest.carry_over": "Slås ihop med {next} års medel",
        "dest.pay_back": "Betalas tillbaka till staten",
        "dest.carry_over.open": "Kvar att överföra till {next} (preliminärt)",
        "dest.pay_back.open": "Kvar att betala tillbaka till staten (preliminärt)",
        "line.covers": "Täcker underskottet i {target}",
        "line.call": "{count} beviljade projekt, se tabellen nedan",
        "line.call.none": "Inga projekt beviljade ännu",
        "owner.with": "{owner} med {partners}",
        "and": "och",
        "notes": "Att notera",
        "note.missing.followup": (
            "{count} av raderna saknar utfall ännu; de visas med – och räknas som 0 i TOTALT."
        ),
        "note.missing.budget": (
            "{count} av raderna saknar budget; de visas med – och räknas som 0 i TOTALT."
        ),
        "note.stated": "Angivet TOTALT i källan: {stated} (skiljer sig med {difference}).",
        "note.previous_open": (
            "{previous} är inte stängt, så det som förs över därifrån är ännu inte känt och "
            "ingår inte i Tillgängligt. Med registrerat utfall blir det {estimate}."
        ),
        "note.uncovered": (
            "Underskottet på {deficit} måste täckas av en annan fond (en överföringsrad) "
            "innan {year} kan stängas."
        ),
        "note.deficit_covered": (
            "Fonden använde {deficit} mer än den hade; underskottet täcks av {sources}."
        ),
        "note.over_budgeted": (
            "Budgeten överskrider det tillgängliga med {amount}."
        ),
        "note.not_budgeted": (
            "{amount} av det tillgängliga ingår inte i någon rad i budgeten."
        ),
        "note.no_grants": "Inga projekt har beviljats ur {activity} ännu.",
        "sheet.followup": "Uppföljning {year}",
        "sheet.budget": "Budget {year}",
        "col.budget": "Budget (kr)",
        "col.outcome": "Utfall (kr)",
        "col.granted": "Beviljat (kr)",
        "col.paid": "Utbetalt (kr)",
        "col.used": "Använt (kr)",
        "col.returned": "Återbetalt (kr)",
        "col.granted_from": "Beviljat ur",
        "col.indicator": "Indikator",
        "col.result": "Resultat",
        "col.rating": "Bedömning",
        "line.paid_for_others": "Utbetalningar till projekt beviljade ur andra fonder",
        "line.paid_for_others.note": "Se tabellen över utbetalningarna nedan",
        "grants.others.heading": "Betalt från andra fonder",
        "grants.others.item": "{project}: varav betalt från {source}: {amount}",
        "grants.decided_in.heading": "Beslutade i en annan fonds utlysning",
        "grants.decided_in": (
            "Projekten beslutades i utlysningen i {fund} och betalas från {this}, där de räknas."
        ),
        "decided_elsewhere.heading": "Beviljat från andra fonder",
        "decided_elsewhere.item": (
            "Utöver ovan beviljades ett projekt från {source}: {project} ({owner}), {amount}"
        ),
        "decided_elsewhere.counted": (
            "Sådana projekt räknas i den betalande fondens uppföljning och budget, inte i "
            "Totalt beviljat ovan."
        ),
        "continues.heading": "Fortsättning på tidigare beviljanden",
        "continues.item": (
            "{project} fortsätter ”{earlier}” ({source}): beviljat {amount}, förbrukat {used}"
        ),
        "caption.paid_for_others": "Utbetalningar till projekt beviljade ur andra fonder",
        "paid_for_others.total": "Totalt betalt till andra fonders projekt",
        "caption.results": "Resultat per målområde",
        "results.none": (
            "Inga av fondens {count} projekt har rapporterat resultat ännu; Resultat per "
            "målområde visas när en rapport är godkänd."
        ),
        "results.interim": "{project} (delrapport)",
        "result.yes": "Ja",
        "result.no": "Nej",
        "result.of_which": "varav {parts}",
        "result.women": "kvinnor {count}",
        "result.men": "män {count}",
        "result.girls": "flickor {count}",
        "result.boys": "pojkar {count}",
        "rating.positive": "Positiv utveckling",
        "rating.partly_positive": "Delvis positiv utveckling",
        "rating.worsened": "Försämrat resultat",
        "rating.remove": "Målet ska tas bort",
        "rating.keep": "Målet ska kvarstå",
        "note.remainder.carry_over.open": (
            "Återstår {amount}: förs över till {next} års medel när {year} stängs (preliminärt)."
        ),
        "note.remainder.carry_over.settled": (
            "Återstår {amount}: förs över till {next} års medel (överfört när {year} stängdes)."
        ),
        "note.remainder.pay_back.open": (
            "Återstår {amount}: betalas tillbaka till staten när {year} stängs (preliminärt)."
        ),
        "note.remainder.pay_back.settled": (
            "Återstår {amount}: betalas tillbaka till staten (bokfört när {year} stängdes)."
        ),
        "note.paid_for_others": (
            "Använt (TOTALT) omfattar {amount} som fonden betalat till projekt beviljade ur "
            "andra fonder; de fonderna räknar inte pengarna som sitt utfall."
        ),
        "sheet.overview": "Översikt",
        "overview.title": "Översikt {year}: fondernas medel, utfall och det som återstår",
        "total.recipient": "Summa {recipient}",
        "recipient.county": "Länsmedel (regionen och kommunerna tillsammans)",
        "recipient.region": "Regionen",
        "recipient.municipalities": "Kommunerna",
        "col.fund": "Fond",
        "col.received": "Erhållet (kr)",
        "col.carried_in": "Överfört från tidigare år (kr)",
        "col.budgeted": "Budgeterat (kr)",
        "col.remainder": "Återstår (kr)",
        "col.rule": "Det som återstår",
        "rule.carry_over": "Förs över till {next} års medel",
        "rule.pay_back": "Betalas tillbaka till staten",
        "rule.deficit": "Underskott som ingen annan fond täcker",
        "rule.open": "{rule} (preliminärt)",
        "overview.note": (
            "Varje fond har ett eget blad med hela uppföljningen. Året är {state}."
        ),
        "overview.state.open": "inte stängt; siffrorna är preliminära",
        "overview.state.closed": "stängt; siffrorna är slutliga",
        "csv.region": "Region",
        "group.transfer": "Täckning av annan fonds underskott",
        "remark.no_budget": "Kolumnen Budget visas inte: ingen rad har en budget för {year}.",
        "remark.nothing_registered": (
            "{columns} visas inte: inget är registrerat för projekten ännu."
        ),
        "col.status": "Status",
        "project.closed": "Avslutat",
        "project.reported": "Slutrapporterat",
        "project.submitted": "Slutrapport inlämnad",
        "project.running": "Pågår {year}",
        "project.followed_up": "Följs upp i slutet av {year}",
        "project.overdue": "Slutrapport saknas sedan slutet av {year}",
        "year.title": "Uppföljning {year} års länsmedel psykisk hälsa",
        "year.window": "förbrukas {start}–{end}",
        "year.contents": "Innehåll",
        "year.funds": "Fonderna",
        "year.part.followup": "Uppföljning {year} års länsmedel",
        "year.part.budget": "Information om prel. budget {year} års länsmedel",
        "year.part.budget.decided": "Information om budget {year} års länsmedel",
        "year.no_next": "{next} har inga tilldelningar ännu; budgeten för {next} tas med när den är importerad.",
        "year.page": "sida {page}",
        "year.sheet.budget": "Budget {year}",
        "year.budget_overview": "Budget {year}: tillgängligt, budgeterat och ej budgeterat per fond",
        "col.available": "Tillgängligt (kr)",
        "col.not_budgeted": "Ej budgeterat (kr)",
        "html.pdf": "Ladda ner som PDF",
        "html.print": "Skriv ut sidan med webbläsarens utskrift; tabellerna bryts mellan raderna.",
    },
    "en": {
        "title.followup": "Follow-up of the {year} {fund}",
        "title.budget": "Budget of the {year} {fund}",
        "title.budget.preliminary": "Preliminary budget of the {year} {fund}",
        "printed": "Printed {date}",
        "page": "Page {page} of {pages}",
        "table": "Table {number}. {caption}",
        "continued": "cont.",
        "status": "Status",
        "status.closed": "{year} is closed; the figures are final",
        "status.open": "{year} is not closed; the figures are preliminary",
        "status.budget": "Budget for {year}",
        "spend": "To be spent",
        "spend.window": "{start}–{end} (by {until})",
        "spend.single": "{start} (by {until})",
        "anchored": "Anchored in",
        "decided": "Decided by",
        "decision": "Decision",
        "col.goal_area": "Goal area",
        "col.activity": "Activity",
        "col.note": "Note",
        "col.amount": "Amount (SEK)",
        "col.item": "Item",
        "col.value": "Amount (SEK)",
        "col.project": "Project",
        "col.owner": "Project owner and partners",
        "caption.lines.followup": "Outcome {year} by goal area and activity",
        "caption.lines.budget": "Budget {year} by goal area and activity",
        "caption.lines.followup.flat": "Outcome {year} by activity",
        "caption.lines.budget.flat": "Budget {year} by activity",
        "caption.summary.followup": "Funds received, used and result {year}",
        "caption.summary.budget": "Available, budgeted and not budgeted {year}",
        "caption.grants": "Projects granted from the {year} call",
        "caption.grants.named": "Projects granted from {activity}",
        "total": "Total",
        "granted_total": "Total granted",
        "unallocated": "Call funds not granted",
        "received": "Received {year}",
        "carried_in": "Carried over from {year}",
        "returned_in": "Returned from closed projects of closed years",
        "carried_in.preliminary": "Carried over from {year} (not known until {year} is closed)",
        "covered_by": "Covered by {source}: {activity}",
        "available": "Available",
        "available.preliminary": "Available (preliminary)",
        "used": "Used (total)",
        "budgeted": "Budgeted (total)",
        "not_budgeted": "Not budgeted",
        "over_budgeted": "Over-budgeted",
        "result_before_cover": "Result before cover",
        "deficit_before_cover": "Deficit before cover",
        "result": "Result",
        "result_after_cover": "Result after cover",
        "uncovered_deficit": "Deficit not covered by another fund",
        "dest.carry_over": "Merged with the {next} funds",
        "dest.pay_back": "Paid back to the state",
        "dest.carry_over.open": "Left to carry over to {next} (preliminary)",
        "dest.pay_back.open": "Left to pay back to the state (preliminary)",
        "line.covers": "Covers the deficit of {target}",
        "line.call": "{count} projects granted, see the table below",
        "line.call.none": "No projects granted yet",
        "owner.with": "{owner} with {partners}",
        "and": "and",
        "notes": "Notes",
        "note.missing.followup": (
            "{count} of the lines have no outcome yet; they show – and count as 0 in the total."
        ),
        "note.missing.budget": (
            "{count} of the lines have no budget; they show – and count as 0 in the total."
        ),
        "note.stated": "Total stated in the source: {stated} (differs by {difference}).",
        "note.previous_open": (
            "{previous} is not closed, so what it carries over is not known yet and is not "
            "part of Available. With the outcome recorded so far it comes to {estimate}."
        ),
        "note.uncovered": (
            "The deficit of {deficit} must be covered by another fund (a transfer line) "
            "before {year} can be closed."
        ),
        "note.deficit_covered": (
            "The fund used {deficit} more than it had; the deficit is covered by {sources}."
        ),
        "note.over_budgeted": "The budget exceeds what is available by {amount}.",
        "note.not_budgeted": "{amount} of what is available is in no line of the budget.",
        "note.no_grants": "No projects have been granted from {activity} yet.",
        "sheet.followup": "Follow-up {year}",
        "sheet.budget": "Budget {year}",
        "col.budget": "Budget (SEK)",
        "col.outcome": "Outcome (SEK)",
        "col.granted": "Granted (SEK)",
        "col.paid": "Paid (SEK)",
        "col.used": "Used (SEK)",
        "col.returned": "Returned (SEK)",
        "col.granted_from": "Granted from",
        "col.indicator": "Indicator",
        "col.result": "Result",
        "col.rating": "Assessment",
        "line.paid_for_others": "Payments to projects granted from other funds",
        "line.paid_for_others.note": "See the table of the payments below",
        "grants.others.heading": "Paid from other funds",
        "grants.others.item": "{project}: of which paid from {source}: {amount}",
        "grants.decided_in.heading": "Decided in another fund's call",
        "grants.decided_in": (
            "The projects were decided in the call of {fund} and are paid from {this}, where "
            "they count."
        ),
        "decided_elsewhere.heading": "Granted from other funds",
        "decided_elsewhere.item": (
            "Besides the above, a project was granted from {source}: {project} ({owner}), "
            "{amount}"
        ),
        "decided_elsewhere.counted": (
            "Such projects count in the paying fund's follow-up and budget, not in Total "
            "granted above."
        ),
        "continues.heading": "Continuing earlier grants",
        "continues.item": (
            "{project} continues “{earlier}” ({source}): granted {amount}, used {used}"
        ),
        "caption.paid_for_others": "Payments to projects granted from other funds",
        "paid_for_others.total": "Total paid to other funds' projects",
        "caption.results": "Results by goal area",
        "results.none": (
            "None of the fund's {count} projects has reported results yet; Results by goal "
            "area are shown once a report is approved."
        ),
        "results.interim": "{project} (interim report)",
        "result.yes": "Yes",
        "result.no": "No",
        "result.of_which": "of which {parts}",
        "result.women": "women {count}",
        "result.men": "men {count}",
        "result.girls": "girls {count}",
        "result.boys": "boys {count}",
        "rating.positive": "Positive development",
        "rating.partly_positive": "Partly positive development",
        "rating.worsened": "Worsened result",
        "rating.remove": "The goal is to be removed",
        "rating.keep": "The goal is to remain",
        "note.remainder.carry_over.open": (
            "{amount} remains: carried into the {next} funds when {year} is closed "
            "(preliminary)."
        ),
        "note.remainder.carry_over.settled": (
            "{amount} remains: carried into the {next} funds (carried over when {year} was "
            "closed)."
        ),
        "note.remainder.pay_back.open": (
            "{amount} remains: paid back to the state when {year} is closed (preliminary)."
        ),
        "note.remainder.pay_back.settled": (
            "{amount} remains: paid back to the state (booked when {year} was closed)."
        ),
        "note.paid_for_others": (
            "Used (total) includes {amount} the fund paid to projects granted from other funds; "
            "those funds do not count the money as their outcome."
        ),
        "sheet.overview": "Overview",
        "overview.title": "Overview {year}: the funds' money, outcome and what remains",
        "total.recipient": "Total, {recipient}",
        "recipient.county": "County-level funds (the region and the municipalities together)",
        "recipient.region": "The region",
        "recipient.municipalities": "The municipalities",
        "col.fund": "Fund",
        "col.received": "Received (SEK)",
        "col.carried_in": "Carried over from earlier years (SEK)",
        "col.budgeted": "Budgeted (SEK)",
        "col.remainder": "Remains (SEK)",
        "col.rule": "What remains",
        "rule.carry_over": "Carried into the {next} funds",
        "rule.pay_back": "Paid back to the state",
        "rule.deficit": "Deficit not covered by another fund",
        "rule.open": "{rule} (preliminary)",
        "overview.note": "Each fund has its own sheet with the whole follow-up. The year is {state}.",
        "overview.state.open": "not closed; the figures are preliminary",
        "overview.state.closed": "closed; the figures are final",
        "csv.region": "Region",
        "group.transfer": "Covering another fund's deficit",
        "remark.no_budget": "The Budget column is left out: no line has a budget for {year}.",
        "remark.nothing_registered": (
            "{columns} are left out: nothing is registered for the projects yet."
        ),
        "col.status": "Status",
        "project.closed": "Closed",
        "project.reported": "Final report approved",
        "project.submitted": "Final report handed in",
        "project.running": "Runs in {year}",
        "project.followed_up": "Followed up at the end of {year}",
        "project.overdue": "Final report missing since the end of {year}",
        "year.title": "Follow-up of the {year} county funds for mental health",
        "year.window": "to be spent {start}–{end}",
        "year.contents": "Contents",
        "year.funds": "The funds",
        "year.part.followup": "Follow-up of the {year} county funds",
        "year.part.budget": "About the preliminary budget of the {year} county funds",
        "year.part.budget.decided": "About the budget of the {year} county funds",
        "year.no_next": "{next} has no allocations yet; the budget for {next} is included once it is imported.",
        "year.page": "page {page}",
        "year.sheet.budget": "Budget {year}",
        "year.budget_overview": "Budget {year}: available, budgeted and not budgeted per fund",
        "col.available": "Available (SEK)",
        "col.not_budgeted": "Not budgeted (SEK)",
        "html.pdf": "Download as PDF",
        "html.print": "Print the page with the browser's print; the tables break between rows.",
    },
}


def labels(lang: str) -> Say:
    """Return a function that looks up and fills a label of `lang`."""
    table = LABELS[lang]

    def say(key: str, **values: object) -> str:
        return table[key].format(**values)

    return say
