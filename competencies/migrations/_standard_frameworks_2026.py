"""The standard frameworks' second edition (indicators), frozen for migration 0007.

A copy of ``competencies.standard_frameworks.FRAMEWORKS`` as it was when the migration was
written: a migration must give the same result later, whatever the module says by then. The
leading underscore keeps Django from taking this module for a migration.
"""

# fmt: off
FRAMEWORKS = {'kempenkind-matrix': {'name': 'KempenKind-matrix',
                       'description': "Beroepsrollen van de IB'er uitgezet tegen de contexten "
                                      'waarin zij werkt: met de individuele leerkracht, met het '
                                      "team en bovenschools. Elke cel noemt wat de IB'er in die "
                                      'rol en die context doet, in één of meer indicatoren: gedrag '
                                      'dat je kunt zien, elk met een eigen niveau.',
                       'kind': 'matrix',
                       'source': 'KempenKind beleid 2013',
                       'columns': ('Werken met individuele groepsleraren',
                                   'Werken met het team binnen de schoolorganisatie',
                                   'Werken in bovenschoolse verbanden en met de externe omgeving'),
                       'rows': ({'title': 'Interpersoonlijk handelen',
                                 'description': "Hoe de IB'er werkrelaties aangaat en onderhoudt.",
                                 'source': 'KempenKind beleid 2013',
                                 'cells': (('Bouwt met de leerkracht een werkrelatie op van '
                                            'samenwerking en betrokkenheid.',),
                                           ('Brengt het team in beweging voor de doelen van het '
                                            'schoolplan.',
                                            'Zorgt met de directeur voor een werkklimaat waarin '
                                            'het team het schoolplan kan uitvoeren.'),
                                           ('Vertegenwoordigt de eigen school in bovenschoolse '
                                            'netwerken.',
                                            "Laat collega's van andere scholen zien hoe de eigen "
                                            'school werkt.'))},
                                {'title': 'Processen begeleiden',
                                 'description': "Hoe de IB'er ontwikkeling en verandering "
                                                'begeleidt, ook de eigen.',
                                 'source': 'KempenKind beleid 2013',
                                 'cells': (('Zet de sterke kanten van de leerkracht in bij de '
                                            'begeleiding.',
                                            'Onderzoekt kritisch de eigen opvattingen en het eigen '
                                            "handelen als IB'er."),
                                           ('Maakt bij een verandering zichtbaar hoe teamleden '
                                            'erover denken.',
                                            'Geeft teamleden feedback die aansluit bij hun aandeel '
                                            'in de verandering.',
                                            'Volgt de inhoudelijke ontwikkelingen in het '
                                            'onderwijs.',
                                            'Brengt nieuwe ideeën uit het onderwijs in het team '
                                            'in.'),
                                           ('Kijkt bij een vraagstuk over de grenzen van de eigen '
                                            'school heen.',
                                            'Stelt vaste werkwijzen van de eigen school ter '
                                            'discussie als een andere aanpak beter past.'))},
                                {'title': 'Coördinerend handelen in relatie tot de extra '
                                          'ondersteuning',
                                 'description': "Hoe de IB'er plannen en doelen rond extra "
                                                'ondersteuning afstemt.',
                                 'source': 'KempenKind beleid 2013',
                                 'cells': (('Zorgt dat de plannen en doelen van de leerkracht '
                                            'aansluiten bij die van de school.',),
                                           ('Zorgt dat de afspraken van het team over '
                                            'ondersteuning aansluiten bij de plannen en doelen van '
                                            'de school.',),
                                           ('Verbindt de plannen van de school met de doelen van '
                                            'instellingen in de omgeving.',
                                            'Coördineert de samenwerking met die instellingen rond '
                                            'de extra ondersteuning.'))},
                                {'title': 'Uitvoeren van het schoolplan',
                                 'description': "Hoe de IB'er bijdraagt aan het maken en uitvoeren "
                                                'van het schoolplan.',
                                 'source': 'KempenKind beleid 2013',
                                 'cells': (('Instrueert de leerkracht bij het uitvoeren van het '
                                            'schoolplan in de groep.',),
                                           ('Signaleert uit verzamelde gegevens trends die het '
                                            'schoolplan moet meenemen.',
                                            'Schrijft mee aan het schoolplan.',
                                            'Instrueert het team of een deel ervan bij het '
                                            'uitvoeren van het schoolplan.',
                                            'Vertaalt de visie op ondersteuning naar afspraken '
                                            'voor de eigen school.'),
                                           ('Zet wat zij in netwerken leert om in activiteiten op '
                                            'de eigen school.',))}),
                       'levels': ({'name': 'beginnend',
                                   'description': 'Ik laat dit gedrag zien met hulp van een '
                                                  'collega of een vast stappenplan. Ik zoek nog '
                                                  'naar mijn eigen aanpak.'},
                                  {'name': 'ontwikkelend',
                                   'description': 'Ik laat dit gedrag meestal zelfstandig zien in '
                                                  'bekende situaties. In nieuwe of lastige '
                                                  'situaties vraag ik nog om advies.'},
                                  {'name': 'bekwaam',
                                   'description': 'Ik laat dit gedrag zelfstandig en doelgericht '
                                                  'zien, ook als de situatie lastig is, en kan '
                                                  'mijn keuzes onderbouwen.'},
                                  {'name': 'excellent',
                                   'description': "Ik beheers dit zo goed dat collega's en andere "
                                                  "IB'ers van mij leren; ik ontwikkel de werkwijze "
                                                  'mee op school- of bestuursniveau.'})},
 'zeven-ib-competenties': {'name': 'Zeven IB-competenties',
                           'description': 'De zeven competenties van de intern begeleider uit de '
                                          'eerdere LBBO-standaard, elk met indicatoren: gedrag dat '
                                          'je kunt zien, elk met een eigen niveau.',
                           'kind': 'list',
                           'source': 'Competenties IB',
                           'columns': (),
                           'rows': ({'title': 'Andragogisch',
                                     'description': 'Volwassenen begeleiden: leerkrachten en het '
                                                    'team.',
                                     'source': 'Competenties IB',
                                     'cells': (('Leidt groepsbesprekingen met leerkrachten.',
                                                'Observeert leerlingen in de klas vanuit een vraag '
                                                'van de leerkracht.',
                                                'Bespreekt na een observatie met de leerkracht '
                                                'welke vervolgstappen passen.',
                                                'Helpt de leerkracht bij het opstellen van een '
                                                'groepsplan of een individueel plan.',
                                                'Voert verkennende gesprekken waarin de leerkracht '
                                                'verantwoordelijk blijft voor de aanpak.',
                                                'Ondersteunt de leerkracht bij gesprekken met '
                                                'ouders.',
                                                'Leidt overleggen met het team doelgericht.'),)},
                                    {'title': 'Methodologisch',
                                     'description': 'Onderzoeken, gegevens verzamelen en '
                                                    'analyseren.',
                                     'source': 'Competenties IB',
                                     'cells': (('Beslist of aanvullend onderzoek bij een leerling '
                                                'nodig is.',
                                                'Regelt het aanvullend onderzoek als dat nodig is.',
                                                'Onderzoekt bij een zij-instromer of de school kan '
                                                'bieden wat de leerling nodig heeft.',
                                                'Onderzoekt met leerkracht, ouders en directeur of '
                                                'speciaal (basis)onderwijs nodig is.',
                                                'Analyseert de toetsgegevens van de groepen en de '
                                                'school.',
                                                'Duidt de uitkomsten van een inspectiebezoek.',
                                                'Onderzoekt waar de leerlijnen van de school beter '
                                                'kunnen.'),)},
                                    {'title': 'Beheersmatig',
                                     'description': 'Systemen, dossiers en beleidsstukken op orde '
                                                    'houden.',
                                     'source': 'Competenties IB',
                                     'cells': (('Houdt het leerlingvolgsysteem actueel.',
                                                'Maakt beleidsstukken over ondersteuning passend '
                                                'voor de eigen school.',
                                                'Zorgt dat de leerlingdossiers volledig zijn.'),)},
                                    {'title': 'Organisatorisch',
                                     'description': 'De ondersteuningsstructuur van de school '
                                                    'organiseren en bewaken.',
                                     'source': 'Competenties IB',
                                     'cells': (('Legt procedures, protocollen en afspraken over '
                                                'ondersteuning vast.',
                                                'Bewaakt dat het team zich aan die afspraken '
                                                'houdt.',
                                                'Stelt de toetskalender op.',
                                                'Bewaakt dat groepsplannen of groepsoverzichten op '
                                                'tijd klaar zijn.',
                                                'Coördineert de verwijzing van een leerling naar '
                                                'externe hulp.',
                                                'Coördineert de overdracht van schoolverlaters '
                                                'naar het voortgezet onderwijs.',
                                                'Regelt de afstemming tussen school en externe '
                                                'partners.'),)},
                                    {'title': 'Innovatief',
                                     'description': 'Vernieuwen en kwaliteit verbeteren.',
                                     'source': 'Competenties IB',
                                     'cells': (('Maakt aan de hand van kwaliteitscriteria een plan '
                                                'voor de ondersteuningsstructuur met concrete '
                                                'acties.',
                                                'Houdt het team op de hoogte van nieuwe '
                                                'ontwikkelingen, materialen en methodes.',
                                                'Schrijft kwaliteitsrapportages over de '
                                                'ondersteuning.',
                                                'Deelt kennis in inhoudelijke teamvergaderingen.',
                                                "Ontwikkelt met andere IB'ers en externe partners "
                                                'bovenschools beleid.'),)},
                                    {'title': 'Externe samenwerking',
                                     'description': 'Samenwerken met ouders en professionals '
                                                    'buiten de school.',
                                     'source': 'Competenties IB',
                                     'cells': (('Bewaakt dat ouders en school goed contact met '
                                                'elkaar hebben.',
                                                'Overlegt met ouders en leerkracht zodat zij de '
                                                'verantwoordelijkheid delen.',
                                                'Bespreekt een aanmelding bij jeugdhulp met ouders '
                                                'en leerkracht.',
                                                'Begeleidt een aanvraag voor een '
                                                'toelaatbaarheidsverklaring bij het '
                                                'samenwerkingsverband.',
                                                'Coördineert de plaatsing van een leerling op een '
                                                'andere school.',
                                                'Neemt deel aan externe netwerken, zoals die van '
                                                'het samenwerkingsverband.',
                                                'Wisselt informatie uit met onder meer inspectie, '
                                                'leerplicht, jeugdhulp en Veilig Thuis.'),)},
                                    {'title': 'Zelfreflectie',
                                     'description': 'Werken aan de eigen rol en ontwikkeling.',
                                     'source': 'Competenties IB',
                                     'cells': (('Geeft de eigen functie vorm binnen de '
                                                'schoolorganisatie.',
                                                'Werkt planmatig aan de eigen ontwikkeling.',
                                                'Volgt de ontwikkelingen in het onderwijs en in '
                                                'het eigen vakgebied.'),)}),
                           'levels': ({'name': 'beginnend',
                                       'description': 'Ik laat dit gedrag zien met hulp van een '
                                                      'collega of een vast stappenplan. Ik zoek '
                                                      'nog naar mijn eigen aanpak.'},
                                      {'name': 'ontwikkelend',
                                       'description': 'Ik laat dit gedrag meestal zelfstandig zien '
                                                      'in bekende situaties. In nieuwe of lastige '
                                                      'situaties vraag ik nog om advies.'},
                                      {'name': 'bekwaam',
                                       'description': 'Ik laat dit gedrag zelfstandig en '
                                                      'doelgericht zien, ook als de situatie '
                                                      'lastig is, en kan mijn keuzes onderbouwen.'},
                                      {'name': 'excellent',
                                       'description': "Ik beheers dit zo goed dat collega's en "
                                                      "andere IB'ers van mij leren; ik ontwikkel "
                                                      'de werkwijze mee op school- of '
                                                      'bestuursniveau.'})},
 'lbbo-2022-domeinen': {'name': 'LBBO 2022: drie domeinen',
                        'description': "De drie domeinen van de beroepsstandaard 2022 'De intern "
                                       "begeleider als kwaliteitscoördinator', elk met de "
                                       'bijbehorende rol en indicatoren: gedrag dat je kunt zien, '
                                       'elk met een eigen niveau.',
                        'kind': 'list',
                        'source': 'LBBO-standaard 2022 (TIB-dossier 2024)',
                        'columns': (),
                        'rows': ({'title': 'Focus op leren & brede ontwikkeling (leercoördinator)',
                                  'description': 'Het leren van alle leerlingen, met nadruk op '
                                                 'basisvaardigheden, en het leren van het hele '
                                                 'team.',
                                  'source': 'LBBO-standaard 2022 (TIB-dossier 2024)',
                                  'cells': (('Deelt met het team kennis uit onderzoek over hoe '
                                             'leren werkt.',
                                             'Legt klassenbezoeken af rond een afgesproken thema.',
                                             'Voert na elk klassenbezoek een nagesprek met de '
                                             'leerkracht.',
                                             'Stimuleert leerkrachten een eigen leervraag op te '
                                             'stellen.',
                                             'Ondersteunt leerteams bij het uitwisselen van goede '
                                             'praktijken.',
                                             'Helpt het team afspraken te maken over effectief '
                                             'lesgeven.',
                                             'Bevordert dat teamleden elkaar aanspreken op het '
                                             'nakomen van die afspraken.'),)},
                                 {'title': 'Data, monitoring & reflectie (trendanalist)',
                                  'description': 'Samen met de schoolleider de kwaliteitscyclus '
                                                 'laten draaien: beschrijven, verklaren, evalueren '
                                                 'en verbeteren.',
                                  'source': 'LBBO-standaard 2022 (TIB-dossier 2024)',
                                  'cells': (('Analyseert na elk meetmoment de trends in de '
                                             'resultaten van de school.',
                                             'Bespreekt met de directeur welke vervolgacties de '
                                             'trends vragen.',
                                             'Helpt leerkrachten toets-, observatie- en formatieve '
                                             'gegevens te vertalen naar vervolgacties.',
                                             'Stimuleert een onderzoekende houding in het team.',
                                             'Betrekt de taal-, reken- of gedragsspecialist bij '
                                             'het duiden van gegevens.',
                                             "Bespreekt trends en werkzame aanpakken met collega's "
                                             'van andere scholen.'),)},
                                 {'title': 'Ondersteuning & zorg (zorgregisseur)',
                                  'description': 'Regie op de ondersteuning, terwijl de leerkracht '
                                                 'eigenaar blijft en het eerste aanspreekpunt voor '
                                                 'ouders is.',
                                  'source': 'LBBO-standaard 2022 (TIB-dossier 2024)',
                                  'cells': (('Laat zorgen over een leerling eerst in het leerteam '
                                             'bespreken, bijvoorbeeld anoniem.',
                                             'Komt in beeld als de aanpak in de groep en het '
                                             'leerteam onvoldoende oplevert.',
                                             'Houdt overzicht over de basis- en extra '
                                             'ondersteuning in de school.',
                                             'Verbindt de inzet van school, ouders en externe '
                                             'partners.',
                                             'Versterkt de leerkracht zodat die de ondersteuning '
                                             'in de klas zelf uitvoert.'),)}),
                        'levels': ({'name': 'beginnend',
                                    'description': 'Ik laat dit gedrag zien met hulp van een '
                                                   'collega of een vast stappenplan. Ik zoek nog '
                                                   'naar mijn eigen aanpak.'},
                                   {'name': 'ontwikkelend',
                                    'description': 'Ik laat dit gedrag meestal zelfstandig zien in '
                                                   'bekende situaties. In nieuwe of lastige '
                                                   'situaties vraag ik nog om advies.'},
                                   {'name': 'bekwaam',
                                    'description': 'Ik laat dit gedrag zelfstandig en doelgericht '
                                                   'zien, ook als de situatie lastig is, en kan '
                                                   'mijn keuzes onderbouwen.'},
                                   {'name': 'excellent',
                                    'description': "Ik beheers dit zo goed dat collega's en andere "
                                                   "IB'ers van mij leren; ik ontwikkel de "
                                                   'werkwijze mee op school- of bestuursniveau.'})}}
# fmt: on
