// The interests a visitor can start from (interests.h), and what each means:
// the subject areas whose courses fit and the career families (SOC 2020 code
// prefixes) that fit. Reviewed so each is what a careers adviser would
// suggest to someone who says "I like ...". Overlaps are on purpose (a
// nurse works with people and cares for them); combining interests joins
// what they find.
//
// Subject areas are matched exactly. Each line names the sample catalogue's
// areas first, then the names the national feeds use for the same thing:
// the apprenticeship routes (Find an apprenticeship, IfATE) and the sector
// (Ofqual sector subject area, tier 1) of the Find a course feed. A name no
// course uses finds nothing and costs nothing.
//
// SOC 2020 prefixes, from the unit groups: 211 natural and social science
// professionals, 212 engineering professionals, 213 IT professionals, 221-223
// therapy and nursing professionals, 2251 pharmacists, 2255 paramedics, 241
// legal professionals, 242 business and finance professionals, 2433
// statisticians and data analysts, 2436 construction project managers,
// 2453 quantity surveyors, 246 welfare professionals, 2473 translators,
// 2492 journalists, 3111 laboratory technicians, 3112 engineering
// technicians, 313 IT technicians, 3240 veterinary nurses, 331 protective
// service occupations, 341 artistic, literary and media occupations, 342
// design occupations, 344 sports and fitness occupations, 352 legal
// associate professionals, 353 finance associate professionals, 41-42
// administrative and secretarial occupations, 511 agricultural trades, 52
// metal, electrical and electronic trades, 523 vehicle trades, 53
// construction trades, 543 food preparation trades, 611 childcare, 612
// animal care, 613 caring personal services, 62 leisure, travel and personal
// services (622 hairdressing and beauty), 71 sales, 72 customer service, 82
// drivers and machine operatives, 911 elementary agricultural work, 9241
// security guards, 926 elementary hospitality work (9264 waiting staff).
#include "kiosk/i18n.h"
#include "kiosk/screens/interests.h"

namespace signpost::kiosk {

const std::vector<Interest>& Interests() {
  static const std::vector<Interest> kInterests = {
      {"people",
       tr_noop("Working with people"),
       {"Retail and customer service", "Catering and hospitality", "Hair, beauty and wellbeing",
        "Childcare and education", "Sales, marketing and procurement", "Hair and beauty",
        "Education and early years", "Retail and commercial enterprise",
        "Leisure, travel and tourism"},
       {"62", "71", "72", "611", "4216", "9264"},
       "Jobs spent serving, helping and teaching people: shops, hotels, salons, schools."},
      {"caring",
       tr_noop("Caring for people"),
       {"Health and social care", "Childcare and education", "Health and science", "Care services",
        "Education and early years", "Health, public services and care"},
       {"611", "613", "221", "222", "223", "2255", "246"},
       "Nursing, care, therapy and childcare: looking after people who need it."},
      {"animals",
       tr_noop("Animals and nature"),
       {"Animal care and land-based", "Agriculture, environmental and animal care",
        "Agriculture, horticulture and animal care"},
       {"612", "3240", "2240", "511", "911"},
       "Animal care, veterinary nursing, farming, gardening and the countryside."},
      {"outdoors",
       tr_noop("Being outdoors"),
       {"Animal care and land-based", "Construction and building services",
        "Agriculture, environmental and animal care", "Construction and the built environment",
        "Agriculture, horticulture and animal care",
        "Construction, planning and the built environment"},
       {"511", "911", "531", "2121", "3313", "8211"},
       "Work done mostly outside: land, building sites, roads, emergencies."},
      {"making",
       tr_noop("Making and fixing things"),
       {"Engineering and manufacturing", "Construction and building services", "Motor vehicle",
        "Construction and the built environment", "Engineering and manufacturing technologies",
        "Construction, planning and the built environment"},
       {"212", "3112", "52", "53"},
       "Engineering, building trades and vehicles: working with tools and machines."},
      {"tech",
       tr_noop("Computers and tech"),
       {"Digital and IT", "Digital", "Information and communication technology"},
       {"213", "313", "2433"},
       "Software, networks, cyber security, IT support and data."},
      {"creative",
       tr_noop("Being creative"),
       {"Art and design", "Media, music and performing arts", "Hair, beauty and wellbeing",
        "Creative and design", "Hair and beauty", "Arts, media and publishing"},
       {"341", "342", "622"},
       "Art, design, media, music, performing, and styling hair and make-up."},
      {"numbers",
       tr_noop("Numbers and money"),
       {"Business and finance", "Science and maths", "Legal, finance and accounting",
        "Business and administration", "Science and mathematics"},
       {"242", "2433", "2453", "353", "412"},
       "Accounting, finance, data and maths."},
      {"science",
       tr_noop("Science and labs"),
       {"Science and maths", "Health and science", "Science and mathematics"},
       {"211", "3111", "2251"},
       "Laboratory, research and healthcare science; pharmacy."},
      {"sport",
       tr_noop("Sport and fitness"),
       {"Sport and public services", "Leisure, travel and tourism"},
       {"344", "6211", "2221"},
       "Coaching, fitness instruction, sports science and physiotherapy."},
      {"food",
       tr_noop("Food and cooking"),
       {"Catering and hospitality"},
       {"543", "926"},
       "Chefs, cooks, bakers and hospitality."},
      {"words",
       tr_noop("Words and languages"),
       {"Languages", "Humanities and social sciences", "Law and legal services",
        "Languages, literature and culture", "Social sciences", "History, philosophy and theology"},
       {"241", "2473", "2492", "352"},
       "Reading, writing, languages and arguing a case: law, translation, journalism."},
      {"safe",
       tr_noop("Keeping people safe"),
       {"Sport and public services", "Law and legal services", "Protective services",
        "Health, public services and care"},
       {"331", "9241", "2255"},
       "Police, fire and rescue, the armed forces, security, paramedics and the law."},
      {"organising",
       tr_noop("Organising and planning"),
       {"Business and finance", "Logistics and transport", "Business and administration",
        "Transport and logistics", "Business, administration and law"},
       {"41", "42", "2436"},
       "Office and admin work, running projects, moving goods where they are needed."},
      {"vehicles",
       tr_noop("Vehicles and driving"),
       {"Motor vehicle", "Logistics and transport", "Transport and logistics"},
       {"523", "82"},
       "Repairing vehicles and driving them: mechanics, lorry and bus drivers."},
  };
  return kInterests;
}

const Interest* FindInterest(const std::string& key) {
  for (const Interest& i : Interests())
    if (key == i.key) return &i;
  return nullptr;
}

}  // namespace signpost::kiosk
