"""Fixtures for the report tests: the 2020 data closed, and the 2021 budget of seed 003."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.years import close_year

# The 2021 budgets of seed 003 ("Information om prel. budget 2021 års länsmedel"), condensed.
BUDGET_2021 = """\
format: stimulansmedel/1
region: Region Jämtland Härjedalen
allocations:
  - earmark: brukarmiljonen
    year: 2021
    received: 1000000
    anchored: Fredagsgruppen och SamReKo HIS 2021-09-24
    lines:
      - goal_area: Stärkt brukarmedverkan
        activity: JLB/NSPH för tillsättande av en tjänst samt medel till arvodering av aktiva 2022
        budget: 725000
      - goal_area: Stärkt brukarmedverkan
        activity: Ansvarig funktion vid hälso-sjukvårdspolitiska avdelningen, utvecklat brukarinflytande 2022
        budget: 275000
  - earmark: samverkan
    year: 2021
    received: 6199701
    stated_total: 6199701
    anchored: Fredagsgruppen och SamReKo HIS 2021-09-24
    decision: {body: SVOM, text: Målområden beslutade i SVOM juni 2021}
    lines:
      - goal_area: Regional samordning
        activity: Lön och administration för 1,5 tjänst regional samordning ”uppdrag psykisk hälsa” 2022
        budget: 1650000
      - goal_area: Stärka barn och ungas psykiska hälsa
        activity: Kvalitetsgranskning av Barnahus, utbildning i BRA-samtal och SEXIT
        budget: 240000
      - goal_area: Förbättra omhändertagandet av särskilt utsatta grupper
        activity: Utredningskostnader integrerad verksamhet unga med missbruk/beroende
        budget: 650000
      - goal_area: Förbättra omhändertagandet av särskilt utsatta grupper
        activity: SIP, samernas psykiska hälsa, HBTQI-diplomering
        budget: 281151
      - goal_area: Stärka äldres psykiska hälsa
        activity: Utbildning i Våga fråga/våga se
        budget: 340000
      - goal_area: Projektutlysning
        kind: call
        activity: Utlysning/beviljande av lokala samverkansprojekt/aktiviteter inom samtliga områden
        budget: 3038550
        grants:
          - title: IKB-team för ungdomar med autism
            owner: RJH BUV
            partners: [Östersunds kommun]
            goal_areas: [Stärka barn och ungas psykiska hälsa, Förbättra omhändertagandet av särskilt utsatta grupper]
            amount: 1175000
          - title: MÖTAS – människor över till aktiv sysselsättning
            owner: Ragunda kommun
            partners: [RJH]
            goal_areas: [Förbättra omhändertagandet av särskilt utsatta grupper]
            amount: 520000
          - title: Förbättrat samarbete runt unga vuxna med psykisk ohälsa i Krokoms kommun
            owner: Krokoms kommun
            partners: [HC Änge]
            goal_areas: [Stärka barn och ungas psykiska hälsa, Förbättra omhändertagandet av särskilt utsatta grupper]
            amount: 520000
          - title: Ökad förmåga till bedömning och utredning av kognitiva funktioner inom primärvården
            owner: RJH Krokoms HC
            goal_areas: [Stärka äldres psykiska hälsa]
            amount: 98550
          - title: BarnSäkert – Region Jämtland Härjedalen
            owner: RJH Kompetenscentrum för barn- och mödrahälsovård
            partners: [Föräldra- och barnhälsan (FBH)]
            goal_areas: [Stärka barn och ungas psykiska hälsa]
            amount: 525000
          - title: SIP samarbete mellan Psykiatrin och Östersunds kommun
            owner: RJH VUP
            partners: [Östersunds kommun]
            goal_areas: [Förbättra omhändertagandet av särskilt utsatta grupper]
            amount: 200000
  - earmark: suicidprevention
    year: 2021
    received: 2525124
    stated_total: 2500000
    lines:
      - goal_area: Suicidpreventiv samordning
        activity: 0,5 tjänst för kommunernas och 1,0 tjänst för regionens arbete med suicidprevention 2022
        budget: 1200000
      - goal_area: Utåtriktat arbete och utbildningsinsatser
        activity: Suicidpreventiv konferens, fokusvecka, PAX i skolan, AOSP, MHFA
        budget: 723440
      - goal_area: Utåtriktat arbete och utbildningsinsatser
        activity: "Projekt: MHFA för personal och elever vid JGY (följs upp i slutet av 2022)"
        budget: 576560
"""


@pytest.fixture
def closed_2020(ctx, imported_2020, actor):
    """The 2020 data imported and its year closed (72 151 and 108 928 carried into 2021)."""
    close_year(2020, actor)
    db.session.commit()


@pytest.fixture
def budget_2021(ctx, closed_2020, actor):
    """The 2021 budgets of seed 003, imported after 2020 was closed."""
    import_document(BUDGET_2021, actor)
    db.session.commit()
