// The synthetic generator (see synthetic.h).
//
// Index:
//   [SECTION] Randomness        -- SplitMix64 streams keyed by (seed, salt, index), integer Zipf
//   [SECTION] Vocabulary        -- towns, subject areas, topics, roles, sentences
//   [SECTION] Records           -- providers, postcodes, opportunities, careers, events
//   [SECTION] Feeds and public functions
//
// Determinism: every choice is made with integer arithmetic on SplitMix64
// output; the only floating point is exact scaling (u53 * 2^-53) and plain
// + and * on coordinates and wages, which IEEE 754 rounds the same everywhere.
#include "signpost/synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace signpost {

namespace {

using catalogue::FeedImport;
using catalogue::OpportunityKind;
using catalogue::ProviderKind;
using catalogue::Route;
using catalogue::StudyMode;

// [SECTION] Randomness ---------------------------------------------------------

// FNV-1a: a stable string hash (std::hash may differ between library versions).
constexpr std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

constexpr std::uint64_t Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Salts keep the streams of different record kinds apart.
enum Salt : std::uint64_t {
  kSaltProvider = 0x70726f76ULL,
  kSaltPostcode = 0x706f7374ULL,
  kSaltOpportunity = 0x6f707070ULL,
  kSaltCareer = 0x63617265ULL,
  kSaltEvent = 0x6576656eULL,
  kSaltSubject = 0x7375626aULL,
};

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t salt, std::uint64_t index)
      : state_(Mix(seed ^ Mix(salt + 0x9e3779b97f4a7c15ULL * (index + 1)))) {}
  std::uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix(state_);
  }
  // 0 <= x < n (n > 0), with a negligible modulo bias for small n.
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool Percent(int p) { return Below(100) < static_cast<std::uint64_t>(p); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1), exact
  // Zipf-like (s = 1): index k with weight 1/(k+1), integers only.
  std::size_t Zipf(std::size_t n) {
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < n; ++k) total += kZipfScale / (k + 1);
    std::uint64_t r = Below(total);
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint64_t w = kZipfScale / (k + 1);
      if (r < w) return k;
      r -= w;
    }
    return n - 1;
  }
  // By explicit integer weights.
  template <std::size_t N>
  std::size_t Weighted(const std::array<int, N>& w) {
    int total = 0;
    for (int x : w) total += x;
    int r = static_cast<int>(Below(static_cast<std::uint64_t>(total)));
    for (std::size_t k = 0; k < N; ++k) {
      if (r < w[k]) return k;
      r -= w[k];
    }
    return N - 1;
  }
  template <typename T, std::size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Below(N)];
  }
  template <typename T>
  const T& PickZipf(const std::vector<T>& v) {
    return v[Zipf(v.size())];
  }

 private:
  static constexpr std::uint64_t kZipfScale = 1 << 20;
  std::uint64_t state_;
};

// [SECTION] Vocabulary ---------------------------------------------------------

struct Town {
  const char* name;
  const char* area;  // postcode area, unique per town here
  double lat, lon;
  int weight;  // roughly population
};

// Approximate town-centre coordinates; postcodes scatter around them.
constexpr Town kTowns[] = {
    {"London", "SE", 51.4800, -0.0600, 60},
    {"Birmingham", "B", 52.4800, -1.9000, 20},
    {"Manchester", "M", 53.4800, -2.2400, 18},
    {"Leeds", "LS", 53.8000, -1.5500, 14},
    {"Liverpool", "L", 53.4100, -2.9800, 10},
    {"Sheffield", "S", 53.3800, -1.4700, 10},
    {"Bristol", "BS", 51.4500, -2.5900, 9},
    {"Newcastle upon Tyne", "NE", 54.9700, -1.6100, 9},
    {"Nottingham", "NG", 52.9500, -1.1500, 8},
    {"Leicester", "LE", 52.6400, -1.1300, 7},
    {"Coventry", "CV", 52.4100, -1.5100, 6},
    {"Bradford", "BD", 53.7950, -1.7500, 6},
    {"Hull", "HU", 53.7450, -0.3350, 5},
    {"Stoke-on-Trent", "ST", 53.0030, -2.1800, 5},
    {"Wolverhampton", "WV", 52.5860, -2.1290, 5},
    {"Plymouth", "PL", 50.3750, -4.1430, 5},
    {"Southampton", "SO", 50.9100, -1.4000, 5},
    {"Reading", "RG", 51.4540, -0.9780, 4},
    {"Derby", "DE", 52.9220, -1.4770, 4},
    {"Portsmouth", "PO", 50.8200, -1.0900, 4},
    {"Brighton", "BN", 50.8230, -0.1370, 5},
    {"Norwich", "NR", 52.6300, 1.2970, 4},
    {"Exeter", "EX", 50.7180, -3.5340, 3},
    {"York", "YO", 53.9600, -1.0870, 3},
    {"Cambridge", "CB", 52.2050, 0.1220, 3},
    {"Oxford", "OX", 51.7520, -1.2580, 3},
    {"Ipswich", "IP", 52.0570, 1.1480, 3},
    {"Northampton", "NN", 52.2400, -0.9000, 3},
    {"Milton Keynes", "MK", 52.0400, -0.7600, 3},
    {"Luton", "LU", 51.8790, -0.4170, 3},
    {"Peterborough", "PE", 52.5700, -0.2400, 3},
    {"Lincoln", "LN", 53.2300, -0.5400, 2},
    {"Preston", "PR", 53.7630, -2.7030, 3},
    {"Blackburn", "BB", 53.7480, -2.4820, 2},
    {"Bolton", "BL", 53.5780, -2.4300, 3},
    {"Oldham", "OL", 53.5410, -2.1170, 2},
    {"Wigan", "WN", 53.5450, -2.6320, 2},
    {"Stockport", "SK", 53.4100, -2.1580, 3},
    {"Warrington", "WA", 53.3900, -2.5970, 2},
    {"Chester", "CH", 53.1900, -2.8900, 2},
    {"Carlisle", "CA", 54.8900, -2.9330, 1},
    {"Durham", "DH", 54.7760, -1.5750, 1},
    {"Sunderland", "SR", 54.9060, -1.3810, 3},
    {"Middlesbrough", "TS", 54.5740, -1.2350, 3},
    {"Doncaster", "DN", 53.5230, -1.1330, 3},
    {"Wakefield", "WF", 53.6830, -1.4970, 3},
    {"Huddersfield", "HD", 53.6460, -1.7850, 2},
    {"Gloucester", "GL", 51.8640, -2.2440, 2},
    {"Bath", "BA", 51.3810, -2.3590, 2},
    {"Swindon", "SN", 51.5600, -1.7800, 2},
    {"Bournemouth", "BH", 50.7200, -1.8800, 3},
    {"Truro", "TR", 50.2630, -5.0510, 1},
    {"Canterbury", "CT", 51.2800, 1.0800, 2},
    {"Maidstone", "ME", 51.2720, 0.5290, 2},
    {"Guildford", "GU", 51.2360, -0.5700, 2},
    {"Chelmsford", "CM", 51.7360, 0.4690, 2},
    {"Colchester", "CO", 51.8890, 0.9040, 2},
    {"Southend-on-Sea", "SS", 51.5460, 0.7070, 2},
    {"Worcester", "WR", 52.1920, -2.2200, 2},
    {"Hereford", "HR", 52.0560, -2.7160, 1},
    {"Telford", "TF", 52.6770, -2.4490, 2},
    {"Lancaster", "LA", 54.0470, -2.8010, 1},
    {"Harrogate", "HG", 53.9920, -1.5410, 1},
    {"Taunton", "TA", 51.0150, -3.1000, 1},
    {"Salisbury", "SP", 51.0690, -1.7940, 1},
    {"Dorchester", "DT", 50.7150, -2.4370, 1},
};
constexpr std::size_t kTownCount = std::size(kTowns);

struct Area {
  const char* name;                    // Opportunity::subject_area
  int weight;                          // share of courses
  std::vector<std::string> topics;     // FE course subjects, most common first
  std::vector<std::string> he_topics;  // degree subjects
  std::vector<std::string> a_levels;   // A level subjects in this area ({} = none)
  const char* access;                  // Access to HE Diploma pathway ("" = none)
  std::vector<std::string> roles;      // job titles, most common first
  std::vector<std::string> socs;       // SOC 2020 codes for careers in this area
};

const std::vector<Area>& Areas() {
  static const std::vector<Area> areas = {
      {"Health and social care",
       14,
       {"Health and Social Care", "Adult Social Care", "Care Practice", "Mental Health Awareness",
        "Healthcare Support", "Dementia Care", "Counselling Skills",
        "Infection Prevention and Control", "End of Life Care", "Health Sciences"},
       {"Adult Nursing", "Mental Health Nursing", "Midwifery", "Paramedic Science", "Physiotherapy",
        "Social Work", "Occupational Therapy", "Health and Social Care", "Public Health",
        "Diagnostic Radiography"},
       {},
       "Nursing and Health Professions",
       {"Care Worker", "Healthcare Assistant", "Nurse", "Senior Care Worker", "Physiotherapist",
        "Social Worker", "Dental Nurse", "Paramedic", "Occupational Therapist", "Midwife"},
       {"6135", "6131", "2231", "6136", "2221", "2461", "6132", "2255", "2222", "2232"}},
      {"Digital and IT",
       10,
       {"Computing", "Software Development", "Cyber Security", "Web Development", "Data Analysis",
        "Networking", "IT Support", "Games Development", "Cloud Computing", "Digital Marketing"},
       {"Computer Science", "Software Engineering", "Cyber Security", "Data Science", "Computing",
        "Games Development", "Artificial Intelligence", "Information Technology"},
       {"Computer Science"},
       "Computing",
       {"Software Developer", "IT Support Technician", "Cyber Security Analyst", "Data Analyst",
        "Network Engineer", "Web Developer", "Games Developer", "DevOps Engineer"},
       {"2134", "3132", "2135", "2433", "3131", "2134", "2134", "2139"}},
      {"Business and finance",
       10,
       {"Business", "Accounting", "Marketing", "Business Administration", "Finance",
        "Human Resources", "Project Management", "Enterprise", "Bookkeeping",
        "Leadership and Management"},
       {"Business Management", "Accounting and Finance", "Marketing", "Economics",
        "Human Resource Management", "International Business", "Events Management",
        "Business and Enterprise"},
       {"Business", "Economics", "Accounting"},
       "Business",
       {"Business Administrator", "Accounts Assistant", "Accountant", "Marketing Executive",
        "HR Assistant", "Project Manager", "Financial Adviser", "Payroll Administrator"},
       {"4159", "4122", "2421", "3554", "4138", "2440", "3534", "4122"}},
      {"Construction and building services",
       9,
       {"Plumbing", "Electrical Installation", "Carpentry and Joinery", "Bricklaying",
        "Painting and Decorating", "Plastering", "Construction", "Heating and Ventilation",
        "Roofing", "Tiling", "Construction Multi-Skills"},
       {"Construction Management", "Quantity Surveying", "Civil Engineering",
        "Architectural Technology", "Building Surveying", "Building Services Engineering"},
       {},
       "",
       {"Electrician", "Plumber", "Joiner", "Bricklayer", "Site Technician", "Quantity Surveyor",
        "Plasterer", "Heating Engineer", "Civil Engineer", "Site Manager"},
       {"5241", "5314", "5316", "5312", "3114", "2453", "5321", "5314", "2121", "2436"}},
      {"English, maths and ESOL",
       9,
       {"English", "Maths", "ESOL", "Functional Skills English", "Functional Skills Maths",
        "Digital Skills", "Employability Skills", "English for Work"},
       {"English Language", "Mathematics", "TESOL"},
       {"English Language", "English Language and Literature"},
       "",
       {"Administrator", "Customer Adviser"},
       {"4159", "7219"}},
      {"Engineering and manufacturing",
       8,
       {"Engineering", "Mechanical Engineering", "Electrical and Electronic Engineering",
        "Welding and Fabrication", "CNC Machining", "Manufacturing Technology", "Robotics",
        "Electronics", "Maintenance Engineering", "Engineering Operations"},
       {"Mechanical Engineering", "Electrical and Electronic Engineering", "Aerospace Engineering",
        "Automotive Engineering", "Manufacturing Engineering", "Robotics", "Chemical Engineering"},
       {"Design and Technology: Product Design"},
       "Engineering",
       {"Engineering Technician", "Maintenance Engineer", "CNC Machinist", "Welder",
        "Mechanical Engineer", "Electrical Engineer", "Manufacturing Engineer", "Toolmaker"},
       {"3113", "5223", "5222", "5213", "2122", "2123", "2125", "5222"}},
      {"Science and maths",
       6,
       {"Applied Science", "Forensic Science", "Laboratory Skills", "Environmental Science",
        "Medical Science", "Applied Biology", "Applied Chemistry", "Science Foundation"},
       {"Biomedical Science", "Biology", "Chemistry", "Physics", "Mathematics", "Forensic Science",
        "Pharmacology", "Environmental Science", "Biochemistry"},
       {"Biology", "Chemistry", "Mathematics", "Physics", "Further Mathematics",
        "Environmental Science"},
       "Science",
       {"Laboratory Technician", "Biomedical Scientist", "Chemist", "Research Scientist",
        "Statistician", "Pharmacist"},
       {"3111", "2113", "2111", "2119", "2433", "2251"}},
      {"Sport and public services",
       6,
       {"Sport", "Sport and Exercise Science", "Fitness Instructing", "Sports Coaching",
        "Uniformed Public Services", "Outdoor Adventure", "Personal Training", "Policing",
        "Sports Leadership"},
       {"Sport and Exercise Science", "Sports Coaching", "Physical Education", "Policing",
        "Sport Management", "Strength and Conditioning"},
       {"Physical Education"},
       "",
       {"Fitness Instructor", "Sports Coach", "Police Officer", "Firefighter", "Leisure Assistant",
        "Personal Trainer", "Prison Officer"},
       {"3443", "3442", "3312", "3313", "6219", "3443", "3314"}},
      {"Art and design",
       6,
       {"Art and Design", "Graphic Design", "Fine Art", "Photography", "Fashion and Textiles",
        "Illustration", "Interior Design", "3D Design", "Ceramics", "Printmaking"},
       {"Graphic Design", "Fine Art", "Photography", "Fashion Design", "Illustration",
        "Interior Design", "Animation", "Textile Design"},
       {"Art and Design", "Photography", "Graphic Communication", "Textile Design"},
       "Art and Design",
       {"Graphic Designer", "Photographer", "Fashion Designer", "Illustrator", "Interior Designer",
        "Artist"},
       {"2142", "3417", "3422", "3411", "3421", "3411"}},
      {"Childcare and education",
       6,
       {"Early Years", "Childcare", "Supporting Teaching and Learning", "Education and Training",
        "Special Educational Needs", "Playwork"},
       {"Early Childhood Studies", "Primary Education with QTS", "Education Studies",
        "Special Educational Needs and Inclusion", "Childhood and Youth Studies"},
       {},
       "Education",
       {"Nursery Practitioner", "Teaching Assistant", "Early Years Educator", "Primary Teacher",
        "Secondary Teacher", "Youth Worker"},
       {"6116", "6112", "6116", "2315", "2314", "3221"}},
      {"Media, music and performing arts",
       5,
       {"Creative Media Production", "Music Performance", "Music Technology", "Acting", "Dance",
        "Film and Television", "Journalism", "Musical Theatre", "Radio Production",
        "Technical Theatre"},
       {"Film Production", "Music Production", "Journalism", "Acting", "Dance",
        "Media and Communication", "Musical Theatre", "Television Production"},
       {"Media Studies", "Film Studies", "Drama and Theatre", "Music", "Dance"},
       "",
       {"Video Editor", "Sound Engineer", "Actor", "Journalist", "Camera Operator",
        "Stage Technician", "Musician"},
       {"3416", "3417", "3413", "2492", "3417", "3416", "3415"}},
      {"Hair, beauty and wellbeing",
       5,
       {"Hairdressing", "Barbering", "Beauty Therapy", "Nail Technology", "Make-up Artistry",
        "Spa Therapy", "Massage", "Hair and Media Make-up"},
       {"Hair and Beauty Management", "Make-up for Media and Performance"},
       {},
       "",
       {"Hairdresser", "Barber", "Beauty Therapist", "Nail Technician", "Make-up Artist"},
       {"6221", "6221", "6222", "6222", "6222"}},
      {"Catering and hospitality",
       5,
       {"Professional Cookery", "Patisserie and Confectionery", "Hospitality",
        "Food and Beverage Service", "Barista Skills", "Event Management", "Hotel Operations"},
       {"Culinary Arts Management", "Hospitality Management",
        "International Hospitality and Tourism", "Events Management"},
       {},
       "",
       {"Chef", "Commis Chef", "Hotel Receptionist", "Restaurant Supervisor", "Events Assistant",
        "Pastry Chef"},
       {"5434", "5434", "4216", "1221", "3557", "5434"}},
      {"Humanities and social sciences",
       5,
       {"Psychology", "Sociology", "Criminology", "Counselling Studies", "History", "Philosophy",
        "Creative Writing"},
       {"Psychology", "Sociology", "History", "Geography", "Philosophy", "Politics",
        "English Literature", "Criminology", "International Relations"},
       {"Psychology", "Sociology", "History", "Geography", "Philosophy", "Government and Politics",
        "English Literature", "Religious Studies", "Classical Civilisation"},
       "Social Sciences",
       {"Psychologist", "Researcher", "Archivist", "Town Planner", "Policy Officer"},
       {"2224", "2162", "2452", "2432", "3560"}},
      {"Motor vehicle",
       4,
       {"Motor Vehicle Maintenance", "Light Vehicle Repair", "Vehicle Body and Paint",
        "Electric Vehicle Technology", "Motorcycle Maintenance", "Heavy Vehicle Maintenance",
        "Auto Electrical"},
       {"Automotive Engineering", "Motorsport Engineering"},
       {},
       "",
       {"Vehicle Technician", "Vehicle Body Repairer", "MOT Tester", "Vehicle Paint Technician",
        "HGV Technician"},
       {"5231", "5232", "5231", "5232", "5231"}},
      {"Animal care and land-based",
       3,
       {"Animal Care", "Animal Management", "Horticulture", "Agriculture", "Equine Studies",
        "Countryside Management", "Arboriculture", "Floristry"},
       {"Animal Behaviour and Welfare", "Zoology", "Veterinary Nursing", "Agriculture",
        "Equine Science", "Countryside Management"},
       {},
       "",
       {"Animal Care Assistant", "Veterinary Nurse", "Gardener", "Farm Worker", "Groom",
        "Arborist"},
       {"6129", "3240", "5113", "9111", "6129", "5114"}},
      {"Retail and customer service",
       3,
       {"Customer Service", "Retail", "Retail Management", "Sales", "Call Centre Skills"},
       {"Retail Management", "Marketing and Sales"},
       {},
       "",
       {"Retail Assistant", "Customer Service Adviser", "Store Supervisor", "Sales Executive"},
       {"7111", "7219", "7130", "7129"}},
      {"Law and legal services",
       2,
       {"Law", "Legal Services", "Paralegal Practice", "Criminal Justice"},
       {"Law", "Criminology and Law", "Legal Practice", "Policing and Criminal Investigation"},
       {"Law"},
       "Law",
       {"Paralegal", "Solicitor", "Legal Secretary", "Barrister"},
       {"3520", "2412", "4212", "2412"}},
      {"Logistics and transport",
       2,
       {"Warehousing", "Logistics", "Supply Chain Management", "HGV Driving", "Forklift Operation",
        "Transport Planning"},
       {"Logistics and Supply Chain Management", "Transport Management"},
       {},
       "",
       {"Warehouse Operative", "HGV Driver", "Logistics Coordinator", "Transport Planner",
        "Forklift Driver"},
       {"9252", "8211", "4134", "4134", "8222"}},
      {"Languages",
       2,
       {"French for Beginners", "Spanish for Beginners", "German", "Urdu", "Arabic",
        "British Sign Language", "Polish", "Mandarin"},
       {"Modern Languages", "French", "Spanish", "German", "Translation and Interpreting",
        "Chinese Studies"},
       {"French", "Spanish", "German", "Urdu", "Arabic", "Chinese"},
       "",
       {"Translator", "Interpreter", "Language Teacher"},
       {"2473", "2473", "2314"}},
  };
  return areas;
}

struct TLevelName {
  const char* title;
  std::size_t area;  // index into Areas()
};
constexpr TLevelName kTLevels[] = {
    {"T Level in Digital Production, Design and Development", 1},
    {"T Level in Digital Support and Security", 1},
    {"T Level in Digital Business Services", 1},
    {"T Level in Health", 0},
    {"T Level in Healthcare Science", 6},
    {"T Level in Science", 6},
    {"T Level in Education and Early Years", 9},
    {"T Level in Design, Surveying and Planning for Construction", 3},
    {"T Level in Onsite Construction", 3},
    {"T Level in Building Services Engineering for Construction", 3},
    {"T Level in Maintenance, Installation and Repair for Engineering and Manufacturing", 5},
    {"T Level in Design and Development for Engineering and Manufacturing", 5},
    {"T Level in Engineering, Manufacturing, Processing and Control", 5},
    {"T Level in Accounting", 2},
    {"T Level in Finance", 2},
    {"T Level in Management and Administration", 2},
    {"T Level in Legal Services", 17},
    {"T Level in Media, Broadcast and Production", 10},
    {"T Level in Craft and Design", 8},
    {"T Level in Agriculture, Land Management and Production", 15},
    {"T Level in Animal Care and Management", 15},
    {"T Level in Marketing", 2},
};

constexpr const char* kSchoolSubjects[] = {"Art",       "Biology",   "Business",
                                           "Chemistry", "Computing", "Design and Technology",
                                           "Drama",     "English",   "Food",
                                           "Geography", "History",   "Languages",
                                           "Maths",     "Media",     "Music",
                                           "PE",        "Physics",   "Psychology",
                                           "Sociology", "Economics", "Health and Social Care",
                                           "Science",   "Law"};

// Which areas a school subject leads to (indexes into Areas()).
constexpr std::array<std::array<int, 3>, std::size(kSchoolSubjects)> kSubjectAreas = {{
    {8, 10, 11},  {6, 0, 15},  {2, 16, 17},  {6, 0, 11},   {1, 5, -1},   {5, 3, 14},
    {10, -1, -1}, {13, 17, 9}, {12, 6, -1},  {13, 15, 18}, {13, 17, -1}, {19, 12, 16},
    {6, 2, 5},    {10, 8, 1},  {10, -1, -1}, {7, 0, -1},   {6, 5, 3},    {13, 0, 9},
    {13, 0, 7},   {2, 13, -1}, {0, 9, -1},   {6, 0, -1},   {17, 7, -1},
}};

constexpr const char* kStreets[] = {
    "High Street", "Station Road",  "Church Lane",   "Mill Lane",
    "Park Road",   "College Road",  "Queen Street",  "King Street",
    "London Road", "Victoria Road", "Market Street", "Bridge Street",
    "New Road",    "Green Lane",    "Manor Road",    "School Lane"};
constexpr const char* kNameStarts[] = {"Ash",  "Thorn", "Brook", "Oak",   "Elm",   "Hazel",
                                       "Tarn", "Wood",  "Stan",  "Bram",  "Hol",   "Marl",
                                       "Fern", "Wyn",   "Crest", "Alder", "Black", "Red",
                                       "Long", "High",  "Har",   "Lark",  "Wil",   "Quill"};
constexpr const char* kNameEnds[] = {"bury",  "ley",   "field", "wood",  "ford", "ton",
                                     "dale",  "well",  "gate",  "brook", "mere", "combe",
                                     "stead", "holme", "worth", "cliffe"};
// An employer's trade, by area index (same order as Areas()).
constexpr const char* kEmployerSectors[] = {
    "Care",    "Digital", "Accountants", "Construction", "Training",  "Engineering", "Laboratories",
    "Leisure", "Design",  "Nurseries",   "Media",        "Salons",    "Hotels",      "Research",
    "Motors",  "Vets",    "Retail",      "Solicitors",   "Logistics", "Translation"};
constexpr const char* kEmployerForms[] = {"Ltd", "Group", "& Co", "plc", "Partnership", "Services"};

// Description sentences, most common first (chosen with a Zipf skew, so
// common words are very common and rare words rare, as in real text).
// {t} topic, {a} subject area (lower case), {p} provider, {w} town, {l} level words.
constexpr const char* kSentences[] = {
    "This course is a great way to start a career in {a}.",
    "You will learn practical skills in {t} from tutors who have worked in the industry.",
    "Most of your time is spent in workshops and real working environments, not just the "
    "classroom.",
    "You will also improve your English and maths if you need to.",
    "Classes are small, so you get plenty of support from your tutor.",
    "At the end of the course you could go on to a higher level course, an apprenticeship or a "
    "job.",
    "You will be assessed through practical tasks, assignments and some written tests.",
    "Work experience with local employers in {w} is part of the course.",
    "{p} has links with employers across the area who help shape what you learn.",
    "This qualification is {l}.",
    "You will build a portfolio of work to show employers and universities.",
    "There is help with travel costs, equipment and meals if you need it.",
    "You will study the theory behind {t} as well as the practical side.",
    "Students with learning difficulties or disabilities are supported throughout.",
    "You will work on projects set by real clients.",
    "Many of our students go on to work in {a} in and around {w}.",
    "You will learn how to work safely and follow industry regulations.",
    "Teamwork, communication and problem solving are built into every unit.",
    "You may need to buy a uniform or basic kit before you start.",
    "Trips and visits from guest speakers help you see what jobs in {t} are really like.",
    "You can talk to the course team at an open event before you apply.",
    "Part of the course covers sustainability and new technology in {a}.",
    "Lessons are timetabled over three or four days a week.",
    "You will get regular feedback and a personal tutor to help you plan your next step.",
    "Some units are delivered online so you can study at your own pace.",
    "Good attendance and a positive attitude are expected.",
    "You will learn about the different jobs in {a} and how to get into them.",
    "Enrichment activities include competitions, volunteering and clubs.",
    "If you are 19 or over, you may be able to get funding to cover your fees.",
    "This course has been updated this year with new equipment and industry software.",
    "Assessment includes a final project where you show everything you have learned about {t}.",
    "Our learning centre has computers, quiet study spaces and study skills support.",
    "You will have the chance to gain extra certificates alongside your main qualification.",
    "Employers tell us that people with skills in {t} are hard to find.",
    "You could progress to university to study {t} or a related subject.",
    "Applications are open all year, but popular courses fill up early.",
};

// Own words (not LevelPlainWords) so the data does not change when the UI text does.
std::string LevelWords(int level) {
  constexpr const char* kWords[] = {"entry level, a first step",
                                    "level 1, like GCSEs at grades 1 to 3",
                                    "level 2, like GCSEs at grades 4 to 9",
                                    "level 3, the same level as A levels",
                                    "level 4, like the first year of a degree",
                                    "level 5, like a foundation degree",
                                    "level 6, the same level as a degree",
                                    "level 7, the same level as a master's degree",
                                    "level 8, the same level as a doctorate"};
  return level >= 0 && level <= 8 ? kWords[level] : "at a level to be confirmed";
}

// Lower-cases the first letter of each word, keeping acronyms ("IT", "HGV").
std::string Lower(std::string s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool word_start = i == 0 || s[i - 1] == ' ';
    const bool acronym = i + 1 < s.size() && s[i + 1] >= 'A' && s[i + 1] <= 'Z';
    if (word_start && !acronym && s[i] >= 'A' && s[i] <= 'Z') {
      s[i] = static_cast<char>(s[i] - 'A' + 'a');
    }
  }
  return s;
}

// An area name inside a sentence: "Digital and IT" -> "digital and IT"; "English..." stays.
std::string InText(const std::string& area) {
  if (area.empty() || area.rfind("English", 0) == 0) return area;
  std::string out = area;
  if (out[0] >= 'A' && out[0] <= 'Z' && !(out.size() > 1 && out[1] >= 'A' && out[1] <= 'Z')) {
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  }
  return out;
}

std::string Fill(std::string_view tmpl, const std::string& topic, const std::string& area,
                 const std::string& provider, const std::string& town, int level) {
  std::string out;
  out.reserve(tmpl.size() + 40);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}') {
      switch (tmpl[i + 1]) {
        case 't':
          out += topic;
          break;
        case 'a':
          out += InText(area);
          break;
        case 'p':
          out += provider;
          break;
        case 'w':
          out += town;
          break;
        case 'l':
          out += LevelWords(level);
          break;
        default:
          out.append(tmpl.substr(i, 3));
          break;
      }
      i += 2;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

// 300..1500 characters of sentences, chosen with a Zipf skew, no sentence twice.
std::string Description(Rng& rng, const std::string& lead, const std::string& topic,
                        const std::string& area, const std::string& provider,
                        const std::string& town, int level) {
  const std::size_t target = static_cast<std::size_t>(rng.Between(300, 1500));
  std::string out = lead;
  std::uint64_t used = 0;  // bit per sentence (there are fewer than 64)
  static_assert(std::size(kSentences) < 64);
  while (out.size() < target && used != (1ULL << std::size(kSentences)) - 1) {
    std::size_t k = rng.Zipf(std::size(kSentences));
    while (used & (1ULL << k)) k = (k + 1) % std::size(kSentences);
    used |= 1ULL << k;
    const std::string s = Fill(kSentences[k], topic, area, provider, town, level);
    if (out.size() >= 300 && out.size() + 1 + s.size() > 1500) break;
    if (!out.empty()) out += ' ';
    out += s;
  }
  if (out.size() > 1500) out.resize(1500);
  return out;
}

std::string Money(int pounds) {  // 18500 -> "£18,500"
  char buf[32];
  if (pounds >= 1000) {
    std::snprintf(buf, sizeof buf, "\xC2\xA3%d,%03d", pounds / 1000, pounds % 1000);
  } else {
    std::snprintf(buf, sizeof buf, "\xC2\xA3%d", pounds);
  }
  return buf;
}

// [SECTION] Records --------------------------------------------------------------

// Provider kinds by index range (each at least one).
struct ProviderClasses {
  int begin[6];  // FE college, sixth form, university, training provider, employer, end
};
constexpr ProviderKind kClassKinds[5] = {ProviderKind::kFeCollege, ProviderKind::kSixthForm,
                                         ProviderKind::kUniversity, ProviderKind::kTrainingProvider,
                                         ProviderKind::kEmployer};
enum ProviderClass { kCollege = 0, kSixthForm, kUniversity, kTrainer, kEmployer };

ProviderClasses ClassesOf(int providers) {
  constexpr int kPerMille[4] = {60, 60, 30, 200};  // the rest are employers
  ProviderClasses c{};
  int at = 0;
  for (int k = 0; k < 4; ++k) {
    c.begin[k] = at;
    at += std::max(1, static_cast<int>(static_cast<std::int64_t>(providers) * kPerMille[k] / 1000));
  }
  c.begin[4] = at;
  c.begin[5] = providers;
  return c;
}

int ClassSize(const ProviderClasses& c, int k) { return c.begin[k + 1] - c.begin[k]; }

// A provider of class k, skewed so that a few big providers run many courses.
int PickProvider(Rng& rng, const ProviderClasses& c, int k) {
  const std::uint64_t n = static_cast<std::uint64_t>(ClassSize(c, k));
  const std::uint64_t a = rng.Below(n), b = rng.Below(n);
  return c.begin[k] + static_cast<int>(std::min(a, b));  // skewed to the head
}

std::size_t TownOfPostcode(const SyntheticOptions& o, int index) {
  Rng rng(o.seed, kSaltPostcode, static_cast<std::uint64_t>(index));
  static const std::vector<int> weights = [] {
    std::vector<int> w;
    for (const Town& t : kTowns) w.push_back(t.weight);
    return w;
  }();
  int total = 0;
  for (int w : weights) total += w;
  int r = static_cast<int>(rng.Below(static_cast<std::uint64_t>(total)));
  for (std::size_t k = 0; k < kTownCount; ++k) {
    if (r < weights[k]) return k;
    r -= weights[k];
  }
  return 0;
}

constexpr char kUnitLetters[] = "ABDEFGHJLNPQRSTUWXYZ";  // the 20 letters inward codes use

catalogue::PostcodePoint MakePostcode(const SyntheticOptions& o, int index) {
  const std::size_t t = TownOfPostcode(o, index);
  const Town& town = kTowns[t];
  // A bijection of the index into district 1..99, sector 0..9 and unit AA..ZZ
  // (unique for every index below 99 * 4000), districts first so that even a
  // small table covers many districts.
  const int district = index % 99 + 1, rest = index / 99;
  const int unit = rest % 400, sector = rest / 400 % 10;
  char code[16];
  std::snprintf(code, sizeof code, "%s%d %d%c%c", town.area, district, sector,
                kUnitLetters[unit / 20], kUnitLetters[unit % 20]);
  // A district is a patch of its town (bigger towns spread further); its
  // postcodes lie within about a kilometre of the patch's centre, so the
  // catalogue's district fallback lands somewhere sensible. Coordinates are
  // worked out in whole micro-degrees: integer arithmetic is exact, whereas a
  // compiler may fuse floating-point a * b + c (GCC does by default where the
  // CPU has FMA, e.g. every arm64), which would change the last bits.
  const std::int64_t spread = 30000 + 4000 * town.weight;  // micro-degrees of latitude
  Rng patch(o.seed, kSaltPostcode + 1, t * 100 + static_cast<std::uint64_t>(district));
  const std::int64_t patch_lat = patch.Between(-spread / 2, spread / 2);
  const std::int64_t patch_lon = patch.Between(-spread * 4 / 5, spread * 4 / 5);
  Rng rng(o.seed, kSaltPostcode + 2, static_cast<std::uint64_t>(index));
  const std::int64_t jitter_lat = rng.Between(-8000, 8000);
  const std::int64_t jitter_lon = rng.Between(-13000, 13000);
  const std::int64_t lat_u = std::clamp<std::int64_t>(
      std::llround(town.lat * 1e6) + patch_lat + jitter_lat, 50'000'000, 55'800'000);
  const std::int64_t lon_u = std::clamp<std::int64_t>(
      std::llround(town.lon * 1e6) + patch_lon + jitter_lon, -5'500'000, 1'700'000);
  const double lat = static_cast<double>(lat_u) / 1e6;
  const double lon = static_cast<double>(lon_u) / 1e6;
  return catalogue::PostcodePoint{code, catalogue::GeoPoint{lat, lon}};
}

std::size_t PickArea(Rng& rng);

// The area an employer works in (its vacancies are in it too).
std::size_t EmployerArea(const SyntheticOptions& o, int index) {
  Rng rng(o.seed, kSaltProvider + 2, static_cast<std::uint64_t>(index));
  return PickArea(rng);
}

std::string ProviderId(int index) { return "synthetic:p" + std::to_string(index); }

catalogue::Provider MakeProvider(const SyntheticOptions& o, int index) {
  const ProviderClasses c = ClassesOf(o.providers);
  int k = 0;
  while (k < 4 && index >= c.begin[k + 1]) ++k;
  Rng rng(o.seed, kSaltProvider, static_cast<std::uint64_t>(index));
  const int pc_index = static_cast<int>(rng.Below(static_cast<std::uint64_t>(o.postcodes)));
  const catalogue::PostcodePoint pc = MakePostcode(o, pc_index);
  const Town& town = kTowns[TownOfPostcode(o, pc_index)];
  std::string place = rng.Pick(kNameStarts);
  place += rng.Pick(kNameEnds);
  catalogue::Provider p;
  p.id = ProviderId(index);
  p.kind = kClassKinds[k];
  switch (k) {
    case kCollege:
      p.name =
          rng.Percent(50) ? place + " College" : std::string(town.name) + " " + place + " College";
      break;
    case kSixthForm:
      p.name = place + (rng.Percent(50) ? " Sixth Form College" : " Academy Sixth Form");
      break;
    case kUniversity:
      p.name = rng.Percent(50) ? "University of " + place : place + " University";
      break;
    case kTrainer:
      p.name = place + (rng.Percent(50) ? " Training" : " Skills Academy");
      break;
    default:
      p.name =
          place + " " + kEmployerSectors[EmployerArea(o, index)] + " " + rng.Pick(kEmployerForms);
      break;
  }
  char ukprn[16];
  std::snprintf(ukprn, sizeof ukprn, "%08d", 10000000 + index % 90000000);
  if (k != kEmployer) p.ukprn = ukprn;
  p.address = std::to_string(rng.Between(1, 220));
  p.address += std::string(" ") + rng.Pick(kStreets);
  p.town = town.name;
  p.postcode = pc.postcode;
  p.location = pc.location;
  char phone[32];
  std::snprintf(phone, sizeof phone, "01632 960%03d", static_cast<int>(rng.Below(1000)));
  p.phone = phone;
  p.website = "https://p" + std::to_string(index) + ".example.org.uk";
  p.email = "info@p" + std::to_string(index) + ".example.org.uk";
  return p;
}

// Next term start: the Monday on or after `dom` `month`, on or after today.
Day NextTerm(Day today, unsigned month, unsigned dom) {
  int y;
  unsigned m, d;
  CivilFromDay(today, &y, &m, &d);
  for (int year = y; year <= y + 1; ++year) {
    Day s = DayFromCivil(year, month, dom);
    s += (7 - ((s + 3) % 7 + 7) % 7) % 7;
    if (s >= today) return s;
  }
  return today;
}

int PickLevel(Rng& rng, OpportunityKind kind) {
  switch (kind) {
    case OpportunityKind::kFeCourse:
      return static_cast<int>(rng.Weighted(std::array<int, 4>{10, 25, 30, 35}));
    case OpportunityKind::kTLevel:
      return 3;
    case OpportunityKind::kHeCourse:
      return 4 + static_cast<int>(rng.Weighted(std::array<int, 4>{15, 15, 62, 8}));
    case OpportunityKind::kApprenticeshipVacancy:
    case OpportunityKind::kApprenticeshipStandard:
      return 2 + static_cast<int>(rng.Weighted(std::array<int, 6>{35, 38, 10, 5, 9, 3}));
  }
  return -1;
}

std::size_t PickArea(Rng& rng) {
  static const std::vector<int> weights = [] {
    std::vector<int> w;
    for (const Area& a : Areas()) w.push_back(a.weight);
    return w;
  }();
  int total = 0;
  for (int w : weights) total += w;
  int r = static_cast<int>(rng.Below(static_cast<std::uint64_t>(total)));
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (r < weights[k]) return k;
    r -= weights[k];
  }
  return 0;
}

std::string FeTitle(Rng& rng, const Area& area, const std::string& topic, int level) {
  const std::string l = std::to_string(level);
  if (level == 3 && !area.a_levels.empty() && rng.Percent(40)) {
    return "A level " + rng.PickZipf(area.a_levels);
  }
  if (level == 3 && area.access[0] != '\0' && rng.Percent(8)) {
    return std::string("Access to Higher Education Diploma (") + area.access + ")";
  }
  if (std::string_view(area.name) == "English, maths and ESOL") {
    if (topic == "English" || topic == "Maths") {
      return rng.Percent(60) ? "GCSE " + topic + " (resit)" : "GCSE " + topic + " for Adults";
    }
    if (topic == "ESOL") return level == 0 ? "ESOL Entry 1 to 3" : "ESOL Level " + l;
  }
  switch (level) {
    case 0: {
      constexpr const char* p[] = {"Entry Level ", "Introduction to ", "Skills for Life: "};
      return rng.Pick(p) + topic;
    }
    case 1:
      return rng.Percent(50) ? topic + " Level 1" : "Introduction to " + topic + " Level 1";
    case 2: {
      const int pat = static_cast<int>(rng.Below(4));
      if (pat == 0) return "Level 2 Certificate in " + topic;
      if (pat == 1) return "Level 2 Diploma in " + topic;
      if (pat == 2) return topic + " Level 2";
      return topic + " (Evening Course) Level 2";
    }
    default: {
      const int pat = static_cast<int>(rng.Below(4));
      if (pat == 0) return topic + " Extended Diploma Level 3";
      if (pat == 1) return "Level 3 Diploma in " + topic;
      if (pat == 2) return "BTEC Level 3 National in " + topic;
      return topic + " Level 3";
    }
  }
}

std::string HeTitle(Rng& rng, const Area& area, const std::string& topic, int level) {
  const bool eng = std::string_view(area.name) == "Engineering and manufacturing";
  const bool sci = eng || std::string_view(area.name) == "Science and maths" ||
                   std::string_view(area.name) == "Digital and IT" ||
                   std::string_view(area.name) == "Health and social care";
  switch (level) {
    case 4:
      return "HNC " + topic;
    case 5:
      return rng.Percent(50) ? "HND " + topic : (sci ? "FdSc " : "FdA ") + topic;
    case 6: {
      std::string t =
          (eng && rng.Percent(60)) ? "BEng (Hons) " : (sci ? "BSc (Hons) " : "BA (Hons) ");
      t += topic;
      if (rng.Percent(12)) t += " with Foundation Year";
      if (rng.Percent(8)) t += " (part time)";
      return t;
    }
    default:
      return (sci ? "MSc " : "MA ") + topic;
  }
}

catalogue::Opportunity MakeOpportunity(const SyntheticOptions& o, std::int64_t index) {
  const SyntheticSplit split = SyntheticSplitOf(o);
  const ProviderClasses classes = ClassesOf(o.providers);
  OpportunityKind kind;
  std::int64_t first = 0;  // index of the first record of this kind
  if (index < split.fe_courses) {
    kind = OpportunityKind::kFeCourse;
  } else if (index < (first = split.fe_courses) + split.tlevels) {
    kind = OpportunityKind::kTLevel;
  } else if (index < (first += split.tlevels) + split.he_courses) {
    kind = OpportunityKind::kHeCourse;
  } else if (index < (first += split.he_courses) + split.vacancies) {
    kind = OpportunityKind::kApprenticeshipVacancy;
  } else {
    first += split.vacancies;
    kind = OpportunityKind::kApprenticeshipStandard;
  }
  Rng rng(o.seed, kSaltOpportunity, static_cast<std::uint64_t>(index));
  const Day today = o.today;

  // Who runs it.
  int cls = kCollege;
  switch (kind) {
    case OpportunityKind::kFeCourse:
      cls = static_cast<int>(rng.Weighted(std::array<int, 4>{70, 15, 0, 15}));
      break;
    case OpportunityKind::kTLevel:
      cls = rng.Percent(80) ? kCollege : kSixthForm;
      break;
    case OpportunityKind::kHeCourse:
      cls = rng.Percent(75) ? kUniversity : kCollege;
      break;
    case OpportunityKind::kApprenticeshipVacancy:  // listed by the training provider
      cls = rng.Percent(70) ? kTrainer : kCollege;
      break;
    case OpportunityKind::kApprenticeshipStandard:
      cls = rng.Percent(70) ? kTrainer : kCollege;
      break;
  }
  const int provider_index = PickProvider(rng, classes, cls);
  const catalogue::Provider provider = MakeProvider(o, provider_index);
  // Vacancies: the job is at an employer, whose place is the workplace.
  const bool vacancy = kind == OpportunityKind::kApprenticeshipVacancy;
  const int employer_index = vacancy ? PickProvider(rng, classes, kEmployer) : -1;
  const catalogue::Provider workplace = vacancy ? MakeProvider(o, employer_index) : provider;

  catalogue::Opportunity op;
  op.kind = kind;
  op.route = catalogue::RouteOfKind(kind);
  op.provider_id = provider.id;
  op.level = PickLevel(rng, kind);
  std::size_t area_index = PickArea(rng);
  if (vacancy) area_index = EmployerArea(o, employer_index);
  std::string topic;
  if (kind == OpportunityKind::kTLevel) {
    const TLevelName& t = kTLevels[rng.Zipf(std::size(kTLevels))];
    area_index = t.area;
    op.title = t.title;
    topic = std::string(t.title).substr(std::string_view("T Level in ").size());
  }
  const Area& area = Areas()[area_index];
  if (topic.empty()) {
    topic = kind == OpportunityKind::kHeCourse ? rng.PickZipf(area.he_topics)
                                               : rng.PickZipf(area.topics);
  }
  const std::string& role = rng.PickZipf(area.roles);
  op.subject_area = area.name;
  if (vacancy) op.employer = workplace.name;
  op.location_name = workplace.town;
  op.postcode = workplace.postcode;
  op.location = workplace.location;
  if (!provider.website.empty())
    op.url = provider.website + "/opportunities/" + std::to_string(index);
  const std::size_t soc = rng.Below(area.socs.size());
  op.soc_codes.push_back(area.socs[soc]);
  if (area.socs.size() > 1 && rng.Percent(40)) {
    op.soc_codes.push_back(area.socs[(soc + 1) % area.socs.size()]);
  }
  const Day updated_day = today - static_cast<Day>(rng.Below(60));
  op.updated = static_cast<UnixTime>(updated_day) * 86400 + static_cast<UnixTime>(rng.Below(86400));

  std::string lead;
  switch (kind) {
    case OpportunityKind::kFeCourse: {
      op.title = FeTitle(rng, area, topic, op.level);
      if (op.title.rfind("GCSE", 0) == 0) op.level = 2;
      op.qualification = op.title.rfind("A level", 0) == 0 ? "GCE A level"
                         : op.title.rfind("GCSE", 0) == 0
                             ? "GCSE (9-1)"
                             : "Level " + std::to_string(op.level) + " qualification in " + topic;
      const bool adult = rng.Percent(30);
      op.mode = adult ? (rng.Percent(15) ? StudyMode::kDistance : StudyMode::kPartTime)
                      : StudyMode::kFullTime;
      if (adult) {
        const int weeks = static_cast<int>(rng.Between(6, 36));
        op.duration = std::to_string(weeks) + " weeks";
        op.duration_months = (weeks + 3) / 4;
        op.cost_text = rng.Percent(50) ? "Free for adults on a low income; otherwise " +
                                             Money(static_cast<int>(rng.Between(4, 40)) * 50)
                                       : "Free for everyone";
      } else {
        const bool two = op.level == 3 && rng.Percent(70);
        op.duration = two ? "2 years" : "1 year";
        op.duration_months = two ? 22 : 10;
        op.cost_text = "Free if you are aged 16 to 18";
      }
      const int when = static_cast<int>(rng.Weighted(std::array<int, 3>{75, 12, 13}));
      if (when == 0) op.start = NextTerm(today, 9, 3);
      if (when == 1) op.start = NextTerm(today, 1, 5);
      if (when == 2) op.flexible_start = true;
      op.entry_requirements =
          op.level <= 1
              ? "No formal qualifications needed. You will have a friendly chat with a tutor."
          : op.level == 2
              ? "2 GCSEs at grade 3 or above, or a Level 1 qualification in a related subject."
              : "4 GCSEs at grade 4 or above including English and maths, or a related Level 2.";
      break;
    }
    case OpportunityKind::kTLevel:
      op.qualification = "T Level Technical Qualification";
      op.mode = StudyMode::kFullTime;
      op.duration = "2 years";
      op.duration_months = 22;
      op.start = NextTerm(today, 9, 3);
      op.cost_text = "Free if you are aged 16 to 18";
      op.entry_requirements =
          "5 GCSEs at grade 4 or above, including English and maths, or a relevant Level 2.";
      lead =
          "A T Level is a two-year technical course worth the same UCAS points as three A "
          "levels, with at least 45 days on an industry placement.";
      break;
    case OpportunityKind::kHeCourse: {
      op.title = HeTitle(rng, area, topic, op.level);
      op.qualification = op.level == 4   ? "Higher National Certificate"
                         : op.level == 5 ? "Higher National Diploma or foundation degree"
                         : op.level == 6 ? "Bachelor's degree with honours"
                                         : "Master's degree";
      const bool part_time = op.title.find("part time") != std::string::npos || rng.Percent(10);
      op.mode = part_time ? StudyMode::kPartTime : StudyMode::kFullTime;
      const int years = op.level == 4 ? 1 : op.level == 5 ? 2 : op.level == 6 ? 3 : 1;
      op.duration_months = (part_time ? 2 : 1) * years * 12;
      op.duration =
          std::to_string(op.duration_months / 12) + (op.duration_months == 12 ? " year" : " years");
      op.start = rng.Percent(90) ? NextTerm(today, 9, 20) : NextTerm(today, 1, 20);
      op.cost_text = op.level >= 6 ? "\xC2\xA3"
                                     "9,535 a year for UK students"
                                   : Money(static_cast<int>(rng.Between(12, 19)) * 500) + " a year";
      op.entry_requirements = op.level >= 6
                                  ? std::to_string(rng.Between(4, 8) * 16) +
                                        " UCAS points, and GCSE English and maths at grade 4."
                                  : "A Level 3 qualification or relevant work experience.";
      break;
    }
    case OpportunityKind::kApprenticeshipVacancy: {
      const int pat = static_cast<int>(rng.Below(3));
      op.title = op.level >= 6 ? role + " Degree Apprenticeship"
                 : pat == 0    ? "Apprentice " + role
                 : pat == 1    ? role + " Apprentice"
                            : "Level " + std::to_string(op.level) + " " + role + " Apprenticeship";
      op.qualification = role + " Level " + std::to_string(op.level) + " apprenticeship";
      op.mode = StudyMode::kWorkBased;
      const std::int64_t half_hours = rng.Between(60, 80);  // 30..40 hours a week
      op.hours_per_week = static_cast<double>(half_hours) / 2;
      if (op.level == 2 && rng.Percent(50)) {
        op.wage_text =
            "\xC2\xA3"
            "7.55 an hour";
        op.wage_annual = static_cast<double>(755 * half_hours * 26 / 100);  // 7.55 x hours x 52
      } else {
        const int base = op.level <= 3 ? 15000 : op.level <= 5 ? 18000 : 20000;
        const int pay = base + static_cast<int>(rng.Below(21)) * 500;
        op.wage_text = Money(pay) + " a year";
        op.wage_annual = pay;
      }
      op.closing = today + static_cast<Day>(rng.Between(1, 60));
      op.start = *op.closing + static_cast<Day>(rng.Between(14, 75));
      const int months = op.level <= 3 ? static_cast<int>(rng.Between(12, 30))
                                       : static_cast<int>(rng.Between(24, 60));
      op.duration_months = months;
      op.duration = std::to_string(months) + " months";
      op.entry_requirements = op.level <= 2 ? "No formal qualifications needed."
                                            : "GCSE English and maths at grade 4 or above.";
      op.cost_text = "No cost to you";
      lead = "Join " + workplace.name + " as an apprentice " + Lower(role) + " in " +
             workplace.town + ". Your training is with " + provider.name + ".";
      op.expires = op.closing;
      break;
    }
    case OpportunityKind::kApprenticeshipStandard:
      op.title = role + " apprenticeship";
      op.qualification = "Apprenticeship standard, level " + std::to_string(op.level);
      op.mode = StudyMode::kWorkBased;
      op.flexible_start = true;
      op.duration_months = static_cast<int>(rng.Between(12, 48));
      op.duration = std::to_string(op.duration_months) + " months";
      op.cost_text = "No cost to you";
      op.entry_requirements = "You need an employer to take you on; we can help you find one.";
      break;
  }
  op.source_id =
      std::string(catalogue::OpportunityKindKey(kind)) + "-" + std::to_string(index - first);
  op.description =
      Description(rng, lead, topic, area.name, provider.name, workplace.town, op.level);
  return op;
}

constexpr const char* kRolePrefixes[] = {"",       "Senior ", "Trainee ",    "Assistant ",
                                         "Lead ",  "Junior ", "Specialist ", "Principal ",
                                         "Chief ", "Deputy "};

catalogue::Career MakeCareer(const SyntheticOptions& o, int index, std::size_t* area_out) {
  Rng rng(o.seed, kSaltCareer, static_cast<std::uint64_t>(index));
  // Careers walk the areas' roles in turn, then again with a prefix, so titles are unique.
  std::vector<std::pair<std::size_t, std::size_t>> all_roles;  // (area, role)
  for (std::size_t a = 0; a < Areas().size(); ++a) {
    for (std::size_t r = 0; r < Areas()[a].roles.size(); ++r) all_roles.emplace_back(a, r);
  }
  const auto [a, r] = all_roles[static_cast<std::size_t>(index) % all_roles.size()];
  const std::size_t round = static_cast<std::size_t>(index) / all_roles.size();
  const Area& area = Areas()[a];
  catalogue::Career c;
  c.source_id = "career-" + std::to_string(index);
  c.title = std::string(kRolePrefixes[round % std::size(kRolePrefixes)]) + area.roles[r];
  if (round >= std::size(kRolePrefixes)) c.title += " (" + std::to_string(round) + ")";
  c.alternative_titles = area.roles[(r + 1) % area.roles.size()];
  c.soc_code = area.socs[r % area.socs.size()];
  const std::string topic = rng.PickZipf(area.topics);
  c.overview = "A " + Lower(c.title) + " works in " + InText(area.name) + ", using skills in " +
               Lower(topic) + " every day.";
  c.salary_starter = static_cast<int>(rng.Between(36, 60)) * 500;
  c.salary_experienced = c.salary_starter + static_cast<int>(rng.Between(8, 60)) * 500;
  const std::int64_t hours_from = rng.Between(35, 40);
  const std::int64_t hours_to = rng.Between(40, 45);
  c.hours = std::to_string(hours_from) + " to " + std::to_string(hours_to) + " a week";
  c.working_pattern = rng.Percent(40) ? "evenings / weekends" : "weekdays";
  c.entry_university = "A degree in " + topic + " or a related subject.";
  c.entry_college = "A Level 2 or 3 course in " + topic + ".";
  c.entry_apprenticeship = "A " + Lower(area.roles[r]) + " apprenticeship.";
  c.entry_work = rng.Percent(50) ? "You could start as an assistant and train on the job." : "";
  c.skills = {"teamwork", "communication", Lower(topic) + " knowledge"};
  c.what_you_do =
      Description(rng, "", topic, area.name, "your employer", "your area", 3).substr(0, 400);
  c.career_path = "With experience you could become a senior " + Lower(area.roles[r]) + ".";
  c.related_careers = {area.roles[(r + 1) % area.roles.size()],
                       area.roles[(r + 2) % area.roles.size()]};
  for (std::size_t s = 0; s < std::size(kSchoolSubjects); ++s) {
    for (int sa : kSubjectAreas[s]) {
      if (sa == static_cast<int>(a) && c.related_subjects.size() < 3) {
        c.related_subjects.push_back(kSchoolSubjects[s]);
      }
    }
  }
  if (area_out) *area_out = a;
  return c;
}

catalogue::Event MakeEvent(const SyntheticOptions& o, int index) {
  Rng rng(o.seed, kSaltEvent, static_cast<std::uint64_t>(index));
  const ProviderClasses classes = ClassesOf(o.providers);
  const int cls = static_cast<int>(rng.Weighted(std::array<int, 5>{40, 20, 20, 15, 5}));
  const catalogue::Provider p = MakeProvider(o, PickProvider(rng, classes, cls));
  catalogue::Event e;
  e.source_id = "event-" + std::to_string(index);
  e.kind = static_cast<catalogue::EventKind>(rng.Weighted(std::array<int, 5>{45, 25, 10, 15, 5}));
  const Area& area = Areas()[PickArea(rng)];
  const std::string& topic = rng.PickZipf(area.topics);
  switch (e.kind) {
    case catalogue::EventKind::kOpenDay:
      e.title = p.name + " Open Day";
      break;
    case catalogue::EventKind::kTasterDay:
      e.title = topic + " Taster Day";
      break;
    case catalogue::EventKind::kCareersFair:
      e.title = p.town + " Careers and Apprenticeships Fair";
      break;
    case catalogue::EventKind::kTalk:
      e.title = "Routes into " + topic;
      break;
    default:
      e.title = p.name + ": Information Evening";
      break;
  }
  const Day day = o.today + static_cast<Day>(rng.Between(1, 180));
  const int start_hour = static_cast<int>(rng.Between(9, 18));
  e.start = static_cast<UnixTime>(day) * 86400 + start_hour * 3600;
  e.end = e.start + static_cast<UnixTime>(rng.Between(2, 6)) * 3600;
  e.provider_id = p.id;
  e.location_name = p.name + ", " + p.town;
  e.postcode = p.postcode;
  e.location = p.location;
  e.url = p.website + "/events/" + std::to_string(index);
  e.description = Description(rng, "", topic, area.name, p.name, p.town, 3).substr(0, 600);
  e.routes = static_cast<std::uint8_t>(rng.Below(16));
  return e;
}

// [SECTION] Feeds and public functions -------------------------------------------

void Check(const Status& s, Status* first_error) {
  if (!s.ok() && s.code() != Status::Code::kInvalidArgument && first_error->ok()) *first_error = s;
}

// Adds the providers of the given classes.
Status AddProviders(const SyntheticOptions& o, std::initializer_list<int> classes,
                    FeedImport* sink) {
  const ProviderClasses c = ClassesOf(o.providers);
  Status err;
  for (int k : classes) {
    for (int i = c.begin[k]; i < c.begin[k + 1] && err.ok(); ++i) {
      Check(sink->AddProvider(MakeProvider(o, i)), &err);
    }
  }
  return err;
}

Status AddOpportunities(const SyntheticOptions& o, std::int64_t begin, std::int64_t end,
                        FeedImport* sink) {
  Status err;
  for (std::int64_t i = begin; i < end && err.ok(); ++i) {
    Check(sink->AddOpportunity(MakeOpportunity(o, i)), &err);
  }
  return err;
}

SyntheticOptions Normalised(SyntheticOptions o) {
  if (o.today <= 0) o.today = TodayUtc();
  return o;
}

Status Generate(const SyntheticOptions& o, const std::string& feed, FeedImport* sink) {
  const SyntheticSplit s = SyntheticSplitOf(o);
  const std::int64_t t0 = s.fe_courses, t1 = t0 + s.tlevels, t2 = t1 + s.he_courses,
                     t3 = t2 + s.vacancies, t4 = t3 + s.standards;
  if (feed == "synthetic-reference") {
    Status err;
    for (int i = 0; i < o.postcodes && err.ok(); ++i)
      Check(sink->AddPostcode(MakePostcode(o, i)), &err);
    for (std::size_t k = 0; k < std::size(kSchoolSubjects) && err.ok(); ++k) {
      for (int a : kSubjectAreas[k]) {
        if (a >= 0)
          Check(sink->AddSubjectLink(
                    {kSchoolSubjects[k], Areas()[static_cast<std::size_t>(a)].name, ""}),
                &err);
      }
    }
    // Subject -> career links: each career's related subjects (a few per career).
    for (int i = 0; i < o.careers && err.ok(); ++i) {
      std::size_t area = 0;
      const catalogue::Career c = MakeCareer(o, i, &area);
      for (const std::string& subject : c.related_subjects) {
        Check(sink->AddSubjectLink({subject, Areas()[area].name, c.source_id}), &err);
      }
    }
    return err;
  }
  if (feed == "synthetic-courses") {
    Status err = AddProviders(o, {kCollege, kSixthForm, kTrainer}, sink);
    if (!err.ok()) return err;
    return AddOpportunities(o, 0, t1, sink);
  }
  if (feed == "synthetic-he") {
    Status err = AddProviders(o, {kUniversity, kCollege}, sink);
    if (!err.ok()) return err;
    return AddOpportunities(o, t1, t2, sink);
  }
  if (feed == "synthetic-vacancies") {
    Status err = AddProviders(o, {kEmployer, kTrainer, kCollege}, sink);
    if (!err.ok()) return err;
    return AddOpportunities(o, t2, t3, sink);
  }
  if (feed == "synthetic-standards") {
    Status err = AddProviders(o, {kTrainer, kCollege}, sink);
    if (!err.ok()) return err;
    return AddOpportunities(o, t3, t4, sink);
  }
  if (feed == "synthetic-careers") {
    Status err;
    std::set<std::string> socs;
    const int year = [&] {
      int y;
      unsigned m, d;
      CivilFromDay(o.today, &y, &m, &d);
      return y;
    }();
    for (int i = 0; i < o.careers && err.ok(); ++i) {
      const catalogue::Career c = MakeCareer(o, i, nullptr);
      Check(sink->AddCareer(c), &err);
      if (!socs.insert(c.soc_code).second) continue;
      // Figures for England and for each town's area (a stand-in for LAs).
      Rng rng(o.seed, kSaltCareer + 7, Fnv1a(c.soc_code));
      for (std::size_t t = 0; t <= kTownCount && err.ok(); t += (t == 0 ? 1 : 9)) {
        const std::string area = t == 0 ? "England" : kTowns[t - 1].name;
        const double pay = static_cast<double>(rng.Between(36, 110) * 500);
        using catalogue::LmiMetric;
        Check(sink->AddLabourMarket({c.soc_code, area, LmiMetric::kMedianAnnualPay, pay, year - 1}),
              &err);
        Check(sink->AddLabourMarket({c.soc_code, area, LmiMetric::kEmploymentChangePct,
                                     static_cast<double>(rng.Between(-60, 150)) / 10, year + 10}),
              &err);
        Check(sink->AddLabourMarket({c.soc_code, area, LmiMetric::kVacancies,
                                     static_cast<double>(rng.Between(5, t == 0 ? 20000 : 900)),
                                     year}),
              &err);
        Check(sink->AddLabourMarket({c.soc_code, area, LmiMetric::kEmployment,
                                     static_cast<double>(rng.Between(200, t == 0 ? 400000 : 20000)),
                                     year - 1}),
              &err);
      }
    }
    return err;
  }
  if (feed == "synthetic-events") {
    Status err;
    for (int i = 0; i < o.events && err.ok(); ++i) Check(sink->AddEvent(MakeEvent(o, i)), &err);
    return err;
  }
  return Status::InvalidArgument("there is no synthetic feed called \"" + feed + "\"");
}

}  // namespace

SyntheticSplit SyntheticSplitOf(const SyntheticOptions& o) {
  SyntheticSplit s;
  const std::int64_t n = std::max<std::int64_t>(o.opportunities, 0);
  s.fe_courses = n * 60 / 100;
  s.tlevels = n * 10 / 100;
  s.he_courses = n * 15 / 100;
  s.vacancies = n * 10 / 100;
  s.standards = n - s.fe_courses - s.tlevels - s.he_courses - s.vacancies;
  return s;
}

const std::vector<std::string>& SyntheticFeedNames() {
  static const std::vector<std::string> names = {
      "synthetic-reference", "synthetic-courses", "synthetic-he",    "synthetic-vacancies",
      "synthetic-standards", "synthetic-careers", "synthetic-events"};
  return names;
}

Status ValidateSyntheticOptions(const SyntheticOptions& o) {
  if (o.opportunities < 0) return Status::InvalidArgument("opportunities must be 0 or more");
  if (o.providers < 5) return Status::InvalidArgument("providers must be at least 5");
  if (o.careers < 0) return Status::InvalidArgument("careers must be 0 or more");
  if (o.events < 0) return Status::InvalidArgument("events must be 0 or more");
  if (o.postcodes < 1 || o.postcodes > 99 * 4000) {
    return Status::InvalidArgument("postcodes must be 1 to 396000");
  }
  return Status::Ok();
}

Status GenerateSyntheticFeed(const SyntheticOptions& options, const std::string& feed,
                             catalogue::FeedImport* sink) {
  if (sink == nullptr) return Status::InvalidArgument("GenerateSyntheticFeed needs a sink");
  if (Status s = ValidateSyntheticOptions(options); !s.ok()) return s;
  try {
    return Generate(Normalised(options), feed, sink);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory while generating synthetic data");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("generating synthetic data: ") + e.what());
  }
}

Status GenerateSynthetic(catalogue::Catalogue* writer, const SyntheticOptions& options,
                         catalogue::ImportReport* summary) {
  if (writer == nullptr) return Status::InvalidArgument("GenerateSynthetic needs a catalogue");
  if (Status s = ValidateSyntheticOptions(options); !s.ok()) return s;
  const SyntheticOptions o = Normalised(options);
  catalogue::ImportOptions io;
  io.today = o.today;
  catalogue::ImportReport total;
  total.feed = "synthetic";
  // One transaction for every feed: the search snapshot is rebuilt once, not
  // once per feed, and a failure leaves the catalogue as it was.
  auto batch = writer->BeginBatch();
  if (!batch.ok()) return batch.status();
  for (const std::string& feed : SyntheticFeedNames()) {
    auto import = writer->BeginImport(feed, io);
    if (!import.ok()) return import.status();
    if (Status s = GenerateSyntheticFeed(o, feed, import->get()); !s.ok()) return s;
    auto report = (*import)->Commit();
    if (!report.ok()) return report.status();
    total.accepted += report->accepted;
    total.skipped += report->skipped;
    total.expired += report->expired;
    total.previous += report->previous;
    for (const std::string& p : report->problems) {
      if (total.problems.size() < 20) total.problems.push_back(feed + ": " + p);
    }
  }
  if (Status s = writer->SetMeta("is_sample", "0"); !s.ok()) return s;
  // A kiosk location that is in the table (the first postcode), for distance searches.
  if (Status s = writer->SetMeta("kiosk_postcode", MakePostcode(o, 0).postcode); !s.ok()) {
    return s;
  }
  if (Status s =
          writer->SetMeta("name", "Synthetic catalogue (seed " + std::to_string(o.seed) + ")");
      !s.ok()) {
    return s;
  }
  if (Status s = (*batch)->Commit(); !s.ok()) return s;
  if (summary) *summary = std::move(total);
  return Status::Ok();
}

catalogue::Provider SyntheticProvider(const SyntheticOptions& options, int index) {
  return MakeProvider(Normalised(options), index);
}

catalogue::Opportunity SyntheticOpportunity(const SyntheticOptions& options, std::int64_t index) {
  return MakeOpportunity(Normalised(options), index);
}

catalogue::PostcodePoint SyntheticPostcode(const SyntheticOptions& options, int index) {
  return MakePostcode(Normalised(options), index);
}

}  // namespace signpost
