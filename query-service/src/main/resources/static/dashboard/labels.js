/*
 * Every word the dashboard shows, in French (the users' working language, the default), Arabic and English: the
 * interface, and a label for every code the ledger uses. A code without a label here (an axis defined later) shows
 * the title the ledger gives it, then the code itself.
 */
window.LEDGER_LABELS = {
  fr: {
    locale: "fr-MA",
    dir: "ltr",
    ui: {
      title: "Convergence des actions pour l'emploi",
      subtitle: "Qui fait quoi, où, pour qui : le registre commun des agences et de leurs partenaires",
      overview: "Vue d'ensemble", matrix: "Matrice", duplications: "Doublons probables", coverage: "Actions conjointes et lacunes",
      progress: "Avancement", language: "Langue", filters: "Filtres", from: "Du", to: "Au", axis: "Axe", region: "Région",
      agency: "Agence", targetGroup: "Public cible", state: "État", knownAt: "Tel que connu le", apply: "Appliquer",
      clear: "Effacer", all: "Tous", activities: "Activités", planned: "Budget prévu", committed: "Engagé", spent: "Dépensé",
      beneficiaries: "Bénéficiaires atteints", fresh: "À jour jusqu'au fait n° {seq}, enregistré le {time}.",
      freshPast: "Vue telle que connue le {time} (fait n° {seq}).", live: "Mise à jour en direct", offline: "Connexion perdue : reprise…",
      rows: "Lignes", cols: "Colonnes", colourBy: "Couleur selon", count: "Nombre d'activités", budget: "Budget prévu",
      currency: "Devise", cellActivities: "Activités de la case {row} × {col}", none: "Aucune", csv: "CSV",
      score: "Score", shared: "En commun", overlap: "Chevauchement", reasons: "Pourquoi", clusters: "Groupes de doublons",
      reasonShare: "les deux travaillent sur {axes} en {regions} pour {groups}",
      reasonOverlap: "leurs périodes se chevauchent pendant {days} jours, du {start} au {end}",
      reasonPartners: "ni {a} ni {b} n'est nommé partenaire de l'activité de l'autre",
      days: "{n} jours", joint: "Actions conjointes", partners: "Partenaires", gaps: "Cases non couvertes", national: "Activités nationales qui pourraient les couvrir",
      gapsPeriod: "Période examinée", completionRate: "Taux d'achèvement", execution: "Exécution budgétaire", reached: "États atteints",
      byAxis: "Par axe", byAgency: "Par agence", lead: "Agence cheffe de file", period: "Période", clusterOf: "{n} activités, {p} paires",
      loading: "Chargement…", failed: "Lecture impossible : {why}", perAxisCaption: "Activités par axe et par état, budgets par devise",
      skip: "Aller au contenu"
    },
    state: { PROPOSED: "Proposée", COMMITTED: "Engagée", STARTED: "Démarrée", SUSPENDED: "Suspendue", COMPLETED: "Achevée", CANCELLED: "Annulée" },
    axis: {
      INDH: "Initiative nationale pour le développement humain", GENDER: "Égalité femmes-hommes dans l'emploi et la formation",
      CHILD_LABOUR: "Élimination du travail des enfants", WORK_LINKED_TRAINING: "Formation en alternance et apprentissage",
      LEGAL_MIGRATION: "Migration légale et mobilité", SKILLS_PARTNERSHIP: "Partenariats pour les compétences"
    },
    region: {
      TANGER_TETOUAN_AL_HOCEIMA: "Tanger-Tétouan-Al Hoceïma", ORIENTAL: "Oriental", FES_MEKNES: "Fès-Meknès",
      RABAT_SALE_KENITRA: "Rabat-Salé-Kénitra", BENI_MELLAL_KHENIFRA: "Béni Mellal-Khénifra", CASABLANCA_SETTAT: "Casablanca-Settat",
      MARRAKECH_SAFI: "Marrakech-Safi", DRAA_TAFILALET: "Drâa-Tafilalet", SOUSS_MASSA: "Souss-Massa",
      GUELMIM_OUED_NOUN: "Guelmim-Oued Noun", LAAYOUNE_SAKIA_EL_HAMRA: "Laâyoune-Sakia El Hamra",
      DAKHLA_OUED_EDDAHAB: "Dakhla-Oued Ed-Dahab", NATIONAL: "National"
    },
    targetGroup: { YOUTH: "Jeunes", JOB_SEEKERS: "Demandeurs d'emploi", WOMEN: "Femmes", MIGRANTS: "Migrants", CHILDREN: "Enfants",
      EMPLOYERS: "Employeurs", INFORMAL_WORKERS: "Travailleurs informels" },
    role: { FUNDING: "Financement", ACCOUNTABLE: "Responsable", EXTENDING: "Délégation", IMPLEMENTING: "Mise en œuvre" },
    kind: { MINISTRY: "Ministère", PUBLIC_AGENCY: "Établissement public", SOCIAL_FUND: "Caisse sociale",
      INTERNATIONAL_PARTNER: "Partenaire international", DONOR: "Bailleur" }
  },
  ar: {
    locale: "ar-MA",
    dir: "rtl",
    ui: {
      title: "التقائية برامج التشغيل",
      subtitle: "من يفعل ماذا، وأين، ولمن: السجل المشترك للوكالات وشركائها",
      overview: "نظرة عامة", matrix: "المصفوفة", duplications: "ازدواجيات محتملة", coverage: "الأعمال المشتركة والثغرات",
      progress: "التقدم", language: "اللغة", filters: "عوامل التصفية", from: "من", to: "إلى", axis: "المحور", region: "الجهة",
      agency: "الوكالة", targetGroup: "الفئة المستهدفة", state: "الحالة", knownAt: "كما كان معروفا في", apply: "تطبيق",
      clear: "مسح", all: "الكل", activities: "الأنشطة", planned: "الميزانية المتوقعة", committed: "الملتزم به", spent: "المصروف",
      beneficiaries: "المستفيدون", fresh: "محدث حتى الواقعة رقم {seq}، المسجلة في {time}.",
      freshPast: "العرض كما كان معروفا في {time} (الواقعة رقم {seq}).", live: "تحديث مباشر", offline: "انقطع الاتصال: جار الاستئناف…",
      rows: "الصفوف", cols: "الأعمدة", colourBy: "التلوين حسب", count: "عدد الأنشطة", budget: "الميزانية المتوقعة",
      currency: "العملة", cellActivities: "أنشطة الخانة {row} × {col}", none: "لا شيء", csv: "CSV",
      score: "الدرجة", shared: "المشترك", overlap: "التداخل", reasons: "الأسباب", clusters: "مجموعات الازدواجية",
      reasonShare: "كلاهما يعمل على {axes} في {regions} لفائدة {groups}",
      reasonOverlap: "تتداخل فترتاهما لمدة {days} يوما، من {start} إلى {end}",
      reasonPartners: "لم تُذكر {a} ولا {b} كشريك في نشاط الأخرى",
      days: "{n} يوما", joint: "الأعمال المشتركة", partners: "الشركاء", gaps: "خانات غير مغطاة", national: "أنشطة وطنية قد تغطيها",
      gapsPeriod: "الفترة المدروسة", completionRate: "نسبة الإنجاز", execution: "تنفيذ الميزانية", reached: "الحالات المبلوغة",
      byAxis: "حسب المحور", byAgency: "حسب الوكالة", lead: "الوكالة الرائدة", period: "الفترة", clusterOf: "{n} أنشطة، {p} أزواج",
      loading: "جار التحميل…", failed: "تعذرت القراءة: {why}", perAxisCaption: "الأنشطة حسب المحور والحالة، والميزانيات حسب العملة",
      skip: "الانتقال إلى المحتوى"
    },
    state: { PROPOSED: "مقترح", COMMITTED: "ملتزم به", STARTED: "منطلق", SUSPENDED: "معلق", COMPLETED: "منجز", CANCELLED: "ملغى" },
    axis: {
      INDH: "المبادرة الوطنية للتنمية البشرية", GENDER: "المساواة بين الجنسين في التشغيل والتكوين",
      CHILD_LABOUR: "القضاء على تشغيل الأطفال", WORK_LINKED_TRAINING: "التكوين بالتناوب والتدرج المهني",
      LEGAL_MIGRATION: "الهجرة النظامية والتنقل", SKILLS_PARTNERSHIP: "شراكات المهارات"
    },
    region: {
      TANGER_TETOUAN_AL_HOCEIMA: "طنجة تطوان الحسيمة", ORIENTAL: "الشرق", FES_MEKNES: "فاس مكناس",
      RABAT_SALE_KENITRA: "الرباط سلا القنيطرة", BENI_MELLAL_KHENIFRA: "بني ملال خنيفرة", CASABLANCA_SETTAT: "الدار البيضاء سطات",
      MARRAKECH_SAFI: "مراكش آسفي", DRAA_TAFILALET: "درعة تافيلالت", SOUSS_MASSA: "سوس ماسة",
      GUELMIM_OUED_NOUN: "كلميم واد نون", LAAYOUNE_SAKIA_EL_HAMRA: "العيون الساقية الحمراء",
      DAKHLA_OUED_EDDAHAB: "الداخلة وادي الذهب", NATIONAL: "وطني"
    },
    targetGroup: { YOUTH: "الشباب", JOB_SEEKERS: "الباحثون عن عمل", WOMEN: "النساء", MIGRANTS: "المهاجرون", CHILDREN: "الأطفال",
      EMPLOYERS: "المشغلون", INFORMAL_WORKERS: "العاملون في القطاع غير المهيكل" },
    role: { FUNDING: "التمويل", ACCOUNTABLE: "المسؤولية", EXTENDING: "التفويض", IMPLEMENTING: "التنفيذ" },
    kind: { MINISTRY: "وزارة", PUBLIC_AGENCY: "مؤسسة عمومية", SOCIAL_FUND: "صندوق اجتماعي",
      INTERNATIONAL_PARTNER: "شريك دولي", DONOR: "جهة مانحة" }
  },
  en: {
    locale: "en-GB",
    dir: "ltr",
    ui: {
      title: "Convergence of employment activities",
      subtitle: "Who does what, where, for whom: the shared ledger of the agencies and their partners",
      overview: "Overview", matrix: "Matrix", duplications: "Likely duplications", coverage: "Joint work and gaps",
      progress: "Progress", language: "Language", filters: "Filters", from: "From", to: "To", axis: "Axis", region: "Region",
      agency: "Agency", targetGroup: "Target group", state: "State", knownAt: "As known on", apply: "Apply",
      clear: "Clear", all: "All", activities: "Activities", planned: "Planned budget", committed: "Committed", spent: "Spent",
      beneficiaries: "Beneficiaries reached", fresh: "Up to date to fact no. {seq}, recorded {time}.",
      freshPast: "The view as known on {time} (fact no. {seq}).", live: "Live updates", offline: "Connection lost: resuming…",
      rows: "Rows", cols: "Columns", colourBy: "Colour by", count: "Number of activities", budget: "Planned budget",
      currency: "Currency", cellActivities: "Activities of cell {row} × {col}", none: "None", csv: "CSV",
      score: "Score", shared: "Shared", overlap: "Overlap", reasons: "Why", clusters: "Clusters of duplications",
      reasonShare: "both work on {axes} in {regions} for {groups}",
      reasonOverlap: "their periods overlap for {days} days, {start} to {end}",
      reasonPartners: "neither {a} nor {b} is named as a partner on the other's activity",
      days: "{n} days", joint: "Joint work", partners: "Partners", gaps: "Cells no one covers", national: "National activities that might cover them",
      gapsPeriod: "Period examined", completionRate: "Completion rate", execution: "Budget execution", reached: "States reached",
      byAxis: "By axis", byAgency: "By agency", lead: "Lead agency", period: "Period", clusterOf: "{n} activities, {p} pairs",
      loading: "Loading…", failed: "Could not read: {why}", perAxisCaption: "Activities per axis and state, budgets per currency",
      skip: "Skip to content"
    },
    state: { PROPOSED: "Proposed", COMMITTED: "Committed", STARTED: "Started", SUSPENDED: "Suspended", COMPLETED: "Completed", CANCELLED: "Cancelled" },
    axis: {
      INDH: "National human-development initiative", GENDER: "Gender equality in employment and training",
      CHILD_LABOUR: "Elimination of child labour", WORK_LINKED_TRAINING: "Work-linked training and apprenticeships",
      LEGAL_MIGRATION: "Legal migration and mobility", SKILLS_PARTNERSHIP: "Skills partnerships"
    },
    region: {
      TANGER_TETOUAN_AL_HOCEIMA: "Tanger-Tetouan-Al Hoceima", ORIENTAL: "Oriental", FES_MEKNES: "Fes-Meknes",
      RABAT_SALE_KENITRA: "Rabat-Sale-Kenitra", BENI_MELLAL_KHENIFRA: "Beni Mellal-Khenifra", CASABLANCA_SETTAT: "Casablanca-Settat",
      MARRAKECH_SAFI: "Marrakech-Safi", DRAA_TAFILALET: "Draa-Tafilalet", SOUSS_MASSA: "Souss-Massa",
      GUELMIM_OUED_NOUN: "Guelmim-Oued Noun", LAAYOUNE_SAKIA_EL_HAMRA: "Laayoune-Sakia El Hamra",
      DAKHLA_OUED_EDDAHAB: "Dakhla-Oued Ed-Dahab", NATIONAL: "National"
    },
    targetGroup: { YOUTH: "Young people", JOB_SEEKERS: "Job seekers", WOMEN: "Women", MIGRANTS: "Migrants", CHILDREN: "Children",
      EMPLOYERS: "Employers", INFORMAL_WORKERS: "Informal workers" },
    role: { FUNDING: "Funding", ACCOUNTABLE: "Accountable", EXTENDING: "Extending", IMPLEMENTING: "Implementing" },
    kind: { MINISTRY: "Ministry", PUBLIC_AGENCY: "Public agency", SOCIAL_FUND: "Social fund",
      INTERNATIONAL_PARTNER: "International partner", DONOR: "Donor" }
  }
};
