//! Story grouping on articles written for these tests: spelling variants of names found from
//! the corpus, and two events of one kind kept apart.

use chrono::{TimeZone, Utc};
use newstrace::stories::StoryStream;
use newstrace::{Article, Config};

fn article(id: &str, day: Option<(i32, u32, u32)>, text: &str) -> Article {
    let mut a = Article::from_text(id, text.to_string());
    a.published = day.and_then(|(y, m, d)| Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).single());
    a
}

/// Reports of one battle that spell its town and one militia three and two ways, and reports
/// of other news around them.
fn battle_and_other_news() -> Vec<Article> {
    let d = Some((2017, 11, 9));
    vec![
        article("battle/1", d, "Syrian troops and allied Hezbollah fighters entered Abu Kamal on Thursday, the last town held by Islamic State militants in Syria. Commanders said the fighters of Hezbollah cleared the eastern districts of Abu Kamal after heavy shelling near the Euphrates."),
        article("battle/2", d, "Government forces backed by Hezbollah said they had taken Abu Kamal, a border town on the Euphrates where Islamic State militants made their last stand. Residents fled Abu Kamal toward the desert as the shelling went on through the night."),
        article("battle/3", d, "The army and Hizballah units pushed into Albu Kamal on the Euphrates, a monitoring group said, as Islamic State militants fell back. Albu Kamal had been the group's last stronghold in the east, and Hizballah commanders vowed to hold it."),
        article("battle/4", d, "Fighters of Hizballah raised flags over Albu Kamal after Islamic State militants withdrew along the Euphrates toward the border with Iraq. The monitoring group said dozens died in the fighting for Albu Kamal."),
        article("battle/5", d, "Militants regained control of Boukamal on the Euphrates on Friday, a monitoring group said, a day after troops entered the border town. Fighting for Boukamal went on into the night as militants attacked from the desert."),
        article("battle/6", d, "Islamic State counter-attacked in Boukamal, the border town on the Euphrates, pushing troops back from its eastern districts, the monitoring group said. Civilians fleeing Boukamal described heavy shelling."),
        article("trade/1", Some((2017, 11, 2)), "Canada and Mexico said on Tuesday they would keep talking about the trade agreement after the latest round ended without a deal. Canadian officials said tariffs on steel remain the main obstacle, and Canadian farmers want dairy quotas kept."),
        article("trade/2", Some((2017, 11, 3)), "Canadian negotiators left Washington without an agreement on dairy quotas, and Canada said tariffs on steel and aluminium must go before any deal. Mexico asked for another round of talks this month."),
    ]
}

#[test]
fn spelling_variants_of_a_town_and_a_militia_are_found_from_the_corpus() {
    let articles = battle_and_other_news();
    let (_, variants) = newstrace::pipeline::story_fingerprints(&articles, &Config::default());
    let canon = |k: &str| variants.canonical(k).to_string();
    assert_eq!(
        canon("albukamal"),
        canon("abukamal"),
        "{:?}",
        variants.pairs()
    );
    assert_eq!(
        canon("boukamal"),
        canon("abukamal"),
        "{:?}",
        variants.pairs()
    );
    assert_eq!(
        canon("hizballah"),
        canon("hezbollah"),
        "{:?}",
        variants.pairs()
    );
    // Words of one family, written side by side, stay two names.
    assert_ne!(canon("canadian"), canon("canada"), "{:?}", variants.pairs());
    assert_ne!(canon("mexico"), canon("abukamal"));
}

#[test]
fn the_battle_is_one_story_whatever_the_spelling() {
    let an = newstrace::analyze(battle_and_other_news(), Vec::new(), &Config::default());
    let story_of = |id: &str| {
        an.stories
            .iter()
            .position(|s| s.articles.iter().any(|&i| an.articles[i].id.0 == id))
            .unwrap()
    };
    for k in 2..=6 {
        assert_eq!(
            story_of("battle/1"),
            story_of(&format!("battle/{k}")),
            "{:?}",
            an.stories
        );
    }
    assert_eq!(story_of("trade/1"), story_of("trade/2"));
    assert_ne!(story_of("battle/1"), story_of("trade/1"));
}

/// Two earthquakes and two bank robberies: the same words, four events.
fn similar_events() -> Vec<Article> {
    vec![
        article("quake-chile/1", Some((2019, 3, 4)), "A magnitude 6.8 earthquake struck off the coast of northern Chile near Iquique on Monday, shaking buildings and cutting power to thousands of homes. Chile's emergency office said two people were injured in Iquique and that no tsunami warning was issued."),
        article("quake-chile/2", Some((2019, 3, 4)), "The earthquake of magnitude 6.8 that hit northern Chile on Monday damaged roads near Iquique, officials said. Power was restored to most homes in Iquique by the evening, and the navy said there was no tsunami threat to the coast of Chile."),
        article("quake-chile/3", Some((2019, 3, 5)), "Residents of Iquique spent a second night outdoors after Monday's 6.8 earthquake in northern Chile, as aftershocks rattled the port. The Chilean government sent engineers to inspect schools in Iquique."),
        article("quake-turkey/1", Some((2020, 1, 24)), "A magnitude 6.7 earthquake struck eastern Turkey near Elazig on Friday evening, toppling buildings and killing at least eighteen people, Turkey's disaster agency said. Rescuers searched collapsed houses in Elazig through the night."),
        article("quake-turkey/2", Some((2020, 1, 25)), "Rescue teams pulled survivors from the rubble in Elazig on Saturday after the 6.7 earthquake in eastern Turkey killed at least eighteen people. Turkey's president said the government would rebuild the damaged houses."),
        article("quake-turkey/3", Some((2020, 1, 25)), "The death toll from the earthquake that struck Elazig province in eastern Turkey rose to eighteen, officials said, as thousands of residents spent the night in tents and mosques in freezing cold."),
        article("robbery-lyon/1", Some((2021, 6, 10)), "Armed robbers held up a bank in central Lyon on Thursday morning, taking staff hostage for two hours before escaping with cash, police said. No one was hurt in the Lyon robbery, and police were searching for a grey van."),
        article("robbery-lyon/2", Some((2021, 6, 10)), "Police in Lyon were hunting three armed men who robbed a bank branch on Thursday and held its staff hostage for two hours. The robbers fled in a grey van, a police spokesman said."),
        article("robbery-ghent/1", Some((2022, 2, 15)), "Two masked men robbed a bank in Ghent on Tuesday afternoon, threatening staff with a knife and escaping on a scooter with cash, Belgian police said. Nobody was injured in the Ghent robbery."),
        article("robbery-ghent/2", Some((2022, 2, 15)), "Belgian police released camera images of two masked robbers who threatened bank staff in Ghent with a knife on Tuesday and fled on a scooter. The Ghent prosecutor asked witnesses to come forward."),
    ]
}

fn partition(mut stories: Vec<Vec<String>>) -> Vec<Vec<String>> {
    for s in &mut stories {
        s.sort();
    }
    stories.sort();
    stories
}

fn expected_events(ids: &[String]) -> Vec<Vec<String>> {
    let mut events: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for id in ids {
        events
            .entry(id.split('/').next().unwrap())
            .or_default()
            .push(id.clone());
    }
    partition(events.into_values().collect())
}

#[test]
fn two_earthquakes_and_two_robberies_are_four_stories() {
    let articles = similar_events();
    let ids: Vec<String> = articles.iter().map(|a| a.id.0.clone()).collect();
    let an = newstrace::analyze(articles, Vec::new(), &Config::default());
    let got = partition(
        an.stories
            .iter()
            .map(|s| {
                s.articles
                    .iter()
                    .map(|&i| an.articles[i].id.0.clone())
                    .collect()
            })
            .collect(),
    );
    assert_eq!(got, expected_events(&ids));
    // Each story has a title from one of its articles and lists them oldest first.
    for s in &an.stories {
        assert!(!s.title.is_empty());
        let times: Vec<_> = s
            .articles
            .iter()
            .map(|&i| an.articles[i].published)
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    }
}

#[test]
fn a_stream_finds_the_same_four_stories_in_any_order() {
    let articles = similar_events();
    let ids: Vec<String> = articles.iter().map(|a| a.id.0.clone()).collect();
    let cfg = Config::default();
    let (docs, _) = newstrace::pipeline::story_fingerprints(&articles, &cfg);
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..5 {
        let mut order: Vec<usize> = (0..docs.len()).collect();
        rng.shuffle(&mut order);
        let mut stream = StoryStream::new(cfg.stories);
        for &d in &order {
            stream.add(docs[d].clone());
        }
        let got = partition(
            stream
                .finish()
                .into_iter()
                .map(|s| s.into_iter().map(|k| ids[order[k]].clone()).collect())
                .collect(),
        );
        assert_eq!(got, expected_events(&ids), "order {order:?}");
    }
}

#[test]
fn time_apart_weighs_against_one_event() {
    let articles = similar_events();
    let cfg = Config::default();
    let (mut docs, _) = newstrace::pipeline::story_fingerprints(&articles, &cfg);
    let same_day = cfg.stories.probability(&docs[0], &docs[1]);
    docs[1].day = docs[1].day.map(|d| d + 30.0);
    let month_apart = cfg.stories.probability(&docs[0], &docs[1]);
    docs[1].day = docs[1].day.map(|d| d + 400.0);
    assert!(same_day > month_apart, "{same_day} {month_apart}");
    assert_eq!(cfg.stories.probability(&docs[0], &docs[1]), 0.0);
}
