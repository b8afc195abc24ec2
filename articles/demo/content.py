"""Demo content written for this project: fictional bylines, careful general health information.

Each reference is a dict of Reference fields (articles/models/parts.py). Its DOI
and PMID were checked against the source by a person before they were added
(tests/test_demo.py lists them); the body and FAQ answers cite it as [n], its
place in the article's list.
"""

import datetime

# When the web pages cited below were read.
ACCESSED = datetime.date(2026, 11, 2)

# Cited by both blood pressure articles.
NICE_HYPERTENSION = {
    "kind": "guideline",
    "authors": "National Institute for Health and Care Excellence (NICE)",
    "title": "Hypertension in adults: diagnosis and management (NG136)",
    "year": 2019,
    "url": "https://www.nice.org.uk/guidance/ng136",
    "accessed_on": ACCESSED,
}

TOPICS = [
    {
        "slug": "heart-and-blood-pressure",
        "name": "Heart and blood pressure",
        "description": "Plain explanations of blood pressure readings, home monitoring and everyday "
        "ways to look after your heart.",
    },
    {
        "slug": "sleep",
        "name": "Sleep",
        "description": "How much sleep people need at different ages, why sleep goes wrong and what "
        "tends to help.",
    },
    {
        "slug": "childrens-health",
        "name": "Children's health",
        "description": "Practical guidance for parents and carers on common worries, from fevers to "
        "screen time.",
    },
    {
        "slug": "coughs-colds-and-infections",
        "name": "Coughs, colds and infections",
        "description": "What to expect from common infections, how to ease symptoms and when "
        "antibiotics or a clinician's advice are needed.",
    },
]

PEOPLE = [
    {
        "slug": "hannah-okafor",
        "job_title": "Health writer",
        "specialty": "Public health",
        "name": "Hannah Okafor",
        "credentials": "MPH",
        "bio": "Hannah is a health writer with a background in public health who focuses on heart "
        "health and infections. This is a fictional profile created for demo content; Hannah "
        "is not a real person.",
    },
    {
        "slug": "daniel-reyes",
        "job_title": "Science writer",
        "specialty": "Sleep and family health",
        "name": "Daniel Reyes",
        "credentials": "BSc",
        "bio": "Daniel is a science writer who covers sleep and family health in plain language. "
        "This is a fictional profile created for demo content; Daniel is not a real person.",
    },
    {
        "slug": "priya-raman",
        "job_title": "General practitioner",
        "specialty": "Cardiovascular prevention",
        "name": "Priya Raman",
        "credentials": "MBBS, MRCGP",
        "bio": "Dr Raman is a general practitioner with an interest in cardiovascular prevention "
        "and sleep problems. This is a fictional profile created for demo content; "
        "Dr Raman is not a real clinician.",
    },
    {
        "slug": "eleanor-marsh",
        "job_title": "Paediatrician",
        "specialty": "Children's and teenagers' health",
        "name": "Eleanor Marsh",
        "credentials": "MD, FAAP",
        "bio": "Dr Marsh is a paediatrician who reviews articles on children's and teenagers' "
        "health. This is a fictional profile created for demo content; Dr Marsh is not a "
        "real clinician.",
    },
]

ARTICLES = [
    # ------------------------------------------------------------------
    # Heart and blood pressure
    # ------------------------------------------------------------------
    {
        "slug": "what-is-a-normal-blood-pressure-reading",
        "tags": ["blood pressure"],
        "title": "What is a normal blood pressure reading?",
        "topic": "heart-and-blood-pressure",
        "author": "hannah-okafor",
        "medical_reviewer": "priya-raman",
        "short_answer": "For most adults, a reading below 120/80 mmHg is considered normal. "
        "High blood pressure is diagnosed from repeated readings, not a single one, and "
        "the exact threshold depends on the guideline your clinician follows.",
        "body": """## What the two numbers mean

A blood pressure reading is written as two numbers, for example 118/76 mmHg (millimetres of mercury). The top number, the **systolic** pressure, is the pressure in your arteries when your heart contracts and pushes blood out. The bottom number, the **diastolic** pressure, is the pressure between beats, while the heart relaxes and refills.

Both numbers matter. A high value in either one can count toward a diagnosis of high blood pressure (hypertension). As people get older, the systolic number tends to rise, so it often gets particular attention in middle and later life.

## Adult blood pressure categories

The American Heart Association and the American College of Cardiology group adult readings into the categories below [1]. They apply to adults who are not pregnant, and they are based on the average of readings taken on at least two separate occasions [1].

| Category | Systolic (top number) | Diastolic (bottom number) |
|---|---|---|
| Normal | Less than 120 | and less than 80 |
| Elevated | 120 to 129 | and less than 80 |
| High blood pressure, stage 1 | 130 to 139 | or 80 to 89 |
| High blood pressure, stage 2 | 140 or higher | or 90 or higher |

Guidelines in other countries draw the lines a little differently [2]. In the UK, the NHS describes an ideal reading as roughly between 90/60 and 120/80 mmHg, and generally treats a clinic reading of 140/90 mmHg or higher as high [3, 4]. Readings taken at home tend to be a little lower, so the threshold used for home averages is 135/85 mmHg [4]. Targets can also differ for older people and for people with conditions such as diabetes or kidney disease, so ask which numbers apply to you.

![](image:bp-ranges)

## Why one reading is not enough

Blood pressure changes from minute to minute. It rises with activity, stress, pain, caffeine and even talking, and usually falls during sleep. Some people have higher readings in a clinic than they do at home, which is sometimes called "white coat" hypertension. Others have the opposite pattern. This is why a diagnosis is normally confirmed with repeated measurements, a week of home readings or a 24-hour monitor that you wear as you go about your day [1, 4].

## Things that raise the risk of high blood pressure

High blood pressure rarely has a single cause [3]. Common contributing factors include:

- getting older
- a family history of high blood pressure
- eating a lot of salt
- not being physically active, or carrying excess weight
- drinking a lot of alcohol, and smoking
- some health conditions, such as kidney disease, and some medicines

## Everyday ways to help keep blood pressure healthy

Many of the risk factors above can be changed. Lifestyle changes are recommended for everyone with raised blood pressure, and some people also need medicine [1, 2].

1. **Cut down on salt:** Much of the salt we eat is already in bread, ready meals and processed foods, so checking labels helps. The NHS advises adults to have no more than 6g of salt a day, which is about a teaspoon.
2. **Move more:** Aim for at least 150 minutes of moderate activity a week, such as brisk walking or cycling, spread across the week.
3. **Keep to a healthy weight:** If you are carrying extra weight, losing even a modest amount can help lower blood pressure.
4. **Limit alcohol:** Keep within the low-risk drinking guidance in your country, and spread any drinking over several days.
5. **Stop smoking:** Smoking damages blood vessels and adds to the risk of heart attack and stroke.

## What about low blood pressure?

A reading below about 90/60 mmHg is often described as low. Many healthy people have low readings and feel well. It is worth getting advice if low blood pressure comes with dizziness, fainting or blurred vision, particularly when you stand up.

## When to talk to your clinician

High blood pressure usually causes no symptoms, so the only way to know your numbers is to have them checked. If your readings are often in the elevated range or higher, talk to your doctor, nurse or pharmacist about confirming the result and what to do next. Do not stop or change blood pressure medicine without advice.

If a reading is very high (above 180/120 mmHg), rest for a few minutes and measure again.

/// non-urgent
- your readings are often in the elevated range or higher
- you feel dizzy or faint when you stand up
///

/// urgent | Get medical advice the same day if:
- a very high reading stays that high after a few minutes' rest, even if you feel well
///

/// emergency
- a very high reading comes with chest pain or shortness of breath
- you have weakness or numbness, difficulty speaking, changes in vision or a sudden severe headache
///

/// important
Do not stop or change blood pressure medicine without advice.
///
""",
        "key_takeaways": [
            "A reading below 120/80 mmHg is considered normal for most adults.",
            "High blood pressure is diagnosed from several readings over time, not from a single measurement.",
            "US and UK guidelines use slightly different thresholds, so ask your clinician which targets apply to you.",
            "High blood pressure usually causes no symptoms, which is why regular checks matter.",
            "Less salt, regular activity, a healthy weight, less alcohol and not smoking all help keep blood pressure down.",
        ],
        "faqs": [
            (
                "Is 130/85 high blood pressure?",
                "Under the American Heart Association categories, a reading of 130/85 mmHg falls into "
                "stage 1 high blood pressure if it is confirmed on repeated readings [1]. Under UK "
                "guidance, it is above the ideal range but below the usual clinic threshold of "
                "140/90 mmHg [4].\n\nEither way, it is a good prompt to talk to your doctor or nurse "
                "about rechecking it and about lifestyle changes that can help.",
            ),
            (
                "Why is my blood pressure higher at the doctor's surgery?",
                "Feeling anxious, rushing to an appointment or talking during the measurement can all "
                'push a reading up. This "white coat" effect is common. Your clinician may ask '
                "you to take readings at home or wear a 24-hour monitor to see what your blood "
                "pressure is like during everyday life.",
            ),
            (
                "Does blood pressure naturally go up with age?",
                "Blood pressure, especially the top number, tends to rise as arteries become stiffer "
                "with age. That makes high blood pressure more common in older adults, but it does "
                "not make it harmless. Raised readings at any age are worth discussing with your "
                "clinician.",
            ),
            (
                "Can I lower my blood pressure without medicine?",
                "For some people, lifestyle changes alone bring blood pressure into a healthy range. "
                "The changes with the best support are:\n\n- eating less salt\n- being active most "
                "days\n- keeping to a healthy weight\n- drinking less alcohol\n\nIf your readings "
                "are high, or you have other risks such as diabetes, your clinician may also "
                "recommend medicine.",
            ),
        ],
        "references": [
            {
                "kind": "guideline",
                "authors": "Whelton PK, Carey RM, Aronow WS, et al.",
                "title": "2017 ACC/AHA/AAPA/ABC/ACPM/AGS/APhA/ASH/ASPC/NMA/PCNA Guideline "
                "for the Prevention, Detection, Evaluation, and Management of High Blood "
                "Pressure in Adults",
                "publisher": "Hypertension",
                "year": 2018,
                "doi": "10.1161/HYP.0000000000000065",
                "pmid": "29133356",
            },
            {
                "kind": "guideline",
                "authors": "Williams B, Mancia G, Spiering W, et al.",
                "title": "2018 ESC/ESH Guidelines for the management of arterial hypertension",
                "publisher": "European Heart Journal",
                "year": 2018,
                "doi": "10.1093/eurheartj/ehy339",
                "pmid": "30165516",
            },
            {
                "kind": "web",
                "authors": "NHS",
                "title": "High blood pressure (hypertension)",
                "url": "https://www.nhs.uk/conditions/high-blood-pressure-hypertension/",
                "accessed_on": ACCESSED,
            },
            NICE_HYPERTENSION,
        ],
    },
    {
        "slug": "how-do-i-check-my-blood-pressure-at-home",
        "tags": ["blood pressure", "self-care"],
        "title": "How do I check my blood pressure at home?",
        "topic": "heart-and-blood-pressure",
        "author": "hannah-okafor",
        "medical_reviewer": "priya-raman",
        "short_answer": "Use a validated upper-arm monitor with a cuff that fits, sit quietly for "
        "five minutes with your arm supported at heart level, and take two readings a minute "
        "apart. Keep a record and share it with your clinician rather than acting on any single "
        "number.",
        "body": """## Why measure at home?

Home monitoring shows what your blood pressure is like in everyday life, away from the stress of a clinic. Clinicians use home readings to help confirm a diagnosis of high blood pressure, to spot "white coat" readings that are only high in the clinic, and to check whether treatment is working [1, 2].

It is not a replacement for regular check-ups, and it works best when you and your clinician agree in advance how often to measure and what to do with the results.

## Choosing a monitor

Not every device on sale is equally accurate. When choosing one, look for:

- an automatic monitor with a cuff that goes around the **upper arm**, which is generally more reliable than wrist or finger devices [1, 3]
- a model that has been independently validated for accuracy (your pharmacist, or national lists such as those kept by blood pressure societies, can help you check)
- a cuff in the right size for your arm, measured around the middle of your upper arm
- a clear display and a memory, so you can check your readings later

Take the monitor to your next appointment so a nurse or pharmacist can check that it fits, that you are using it correctly and that it gives similar results to the clinic's equipment [3].

## How to take a reading

Good technique matters as much as the device. Small slips, such as a crossed leg or an unsupported arm, can change a result by several points [1].

1. **Prepare:** Avoid caffeine, smoking and exercise for 30 minutes beforehand, and empty your bladder.
2. **Sit comfortably:** Use a chair with a back, keep your feet flat on the floor and your legs uncrossed, and rest quietly for five minutes.
3. **Position your arm:** Rest your arm on a table so the cuff sits at about the level of your heart. Put the cuff on bare skin, not over a sleeve.
4. **Stay still and quiet:** Don't talk, scroll on your phone or watch something exciting while the cuff inflates.
5. **Repeat and record:** Take a second reading about a minute later, and write down both readings with the date and time, or let the monitor store them [1].

## How often to measure

Your clinician will tell you what schedule suits you. When home readings are used to confirm a diagnosis, a common approach is to take two readings in the morning and two in the evening for about a week. The readings from the first day are usually set aside and the rest averaged, because people often get used to the process over the first day [2].

Once your blood pressure is stable, many people only need to check occasionally. Measuring many times a day is rarely helpful and can cause unnecessary worry.

## Making sense of the numbers

One high reading on its own is not a diagnosis. Look at the pattern over several days. In the UK, an average home reading of 135/85 mmHg or higher is generally treated as high [2, 4]; your clinician may set a different target for you.

| What you see | What to do |
|---|---|
| Readings mostly within the range your clinician set | Carry on with your usual routine and bring your record to your next review |
| Readings repeatedly above your target | Contact your doctor, nurse or pharmacist for advice within the next few days |
| A very high reading (above 180/120 mmHg) | Rest for a few minutes, measure again and get same-day advice; call emergency services if you also have warning symptoms |

## When to talk to your clinician

Talk to your doctor, nurse or pharmacist if your readings are often above the target you were given, if they are unusually low and you feel dizzy or faint, or if you are unsure whether your monitor is working properly. Don't stop or change any blood pressure medicine because of home readings without checking first.

Call emergency services if a very high reading comes with chest pain, shortness of breath, back pain, weakness or numbness, difficulty speaking, changes in vision or a sudden severe headache.
""",
        "key_takeaways": [
            "A validated, automatic upper-arm monitor with the right cuff size gives the most reliable home readings.",
            "Rest for five minutes, sit with your back supported and your arm at heart level, and stay quiet during the reading.",
            "Take two readings about a minute apart and keep a record of both.",
            "Look at the pattern over several days rather than reacting to one number.",
            "Never change blood pressure medicine based on home readings without talking to your clinician.",
        ],
        "faqs": [
            (
                "Are wrist blood pressure monitors accurate?",
                "Wrist monitors are more sensitive to the position of your arm and are generally less "
                "reliable than upper-arm monitors. Some people, for example those with very large "
                "upper arms, may be advised to use one [1]. Ask your clinician or pharmacist which type "
                "suits you.",
            ),
            (
                "Which arm should I use?",
                "It is normal for the two arms to give slightly different readings. Your clinician "
                "may check both arms at first and then ask you to use the one that gives the higher "
                "reading [2]. After that, use the same arm each time so your readings are comparable.",
            ),
            (
                "Why are my two readings different?",
                "Blood pressure changes from moment to moment, so two readings taken a minute apart "
                "often differ by a few points. The first reading is sometimes a little higher. "
                "Recording both, and looking at averages over several days, gives a fairer picture.",
            ),
            (
                "How often should I replace or check my monitor?",
                "Follow the manufacturer's instructions, and ask your clinic or pharmacy to compare "
                "your monitor against their equipment from time to time, for example at your annual "
                "review. Replace the cuff if it becomes worn or no longer fits well.",
            ),
        ],
        "references": [
            {
                "kind": "review",
                "authors": "Muntner P, Shimbo D, Carey RM, et al.",
                "title": "Measurement of Blood Pressure in Humans: A Scientific Statement "
                "From the American Heart Association",
                "publisher": "Hypertension",
                "year": 2019,
                "doi": "10.1161/HYP.0000000000000087",
                "pmid": "30827125",
            },
            NICE_HYPERTENSION,
            {
                "kind": "web",
                "authors": "American Heart Association",
                "title": "Monitoring Your Blood Pressure at Home",
                "url": "https://www.heart.org/en/health-topics/high-blood-pressure/understanding-blood-pressure-readings/monitoring-your-blood-pressure-at-home",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "web",
                "authors": "NHS",
                "title": "Blood pressure test",
                "url": "https://www.nhs.uk/conditions/blood-pressure-test/",
                "accessed_on": ACCESSED,
            },
        ],
    },
    # ------------------------------------------------------------------
    # Sleep
    # ------------------------------------------------------------------
    {
        "slug": "how-much-sleep-do-teenagers-need",
        "tags": ["sleep", "teenagers"],
        "title": "How much sleep do teenagers need?",
        "topic": "sleep",
        "author": "daniel-reyes",
        "medical_reviewer": "eleanor-marsh",
        "short_answer": "Teenagers aged 13 to 18 need about 8 to 10 hours of sleep in every 24 hours. "
        "Many get less than this, partly because their body clock naturally shifts later during "
        "puberty.",
        "body": """## Recommended hours by age

Sleep needs change as children grow. The ranges below are those recommended by sleep medicine experts in the US [1] and published by the Centers for Disease Control and Prevention (CDC) [2]. They are ranges rather than exact targets, because individual needs vary. An expert panel of the US National Sleep Foundation recommends similar ranges, including 8 to 10 hours for teenagers aged 14 to 17 [3].

| Age group | Recommended sleep per 24 hours |
|---|---|
| 6 to 12 years | 9 to 12 hours |
| 13 to 18 years | 8 to 10 hours |
| 18 years and older | 7 hours or more |

## Why teenagers find it hard to get enough

During puberty, the body clock shifts. Teenagers tend to start feeling sleepy later in the evening than younger children do, partly because the sleep hormone melatonin is released later at night. This is a normal part of development, not laziness.

The problem is that school, college and work usually still start early. A teenager who cannot fall asleep until 11pm but has to get up at 6.30am will be short of sleep night after night. For this reason, the American Academy of Pediatrics has recommended that middle and high schools start no earlier than 8.30am.

Other things add to the squeeze: homework, sport, part-time jobs, social lives, phones and gaming in bed, and caffeine from coffee or energy drinks.

## Signs a teenager may not be getting enough sleep

Tiredness is not always obvious. Possible signs include:

- being very hard to wake in the morning on school days
- dozing off in class, while reading or in the car
- sleeping much longer at weekends to "catch up"
- irritability, low mood or more emotional ups and downs
- finding it harder to concentrate or remember things
- relying on caffeine or energy drinks to get through the day

Lack of sleep also matters for safety. Drowsy driving is dangerous, and new drivers are especially at risk, so a teenager who feels sleepy should not drive.

## Habits that help

No single change fixes everything, but small steps often add up. Teenagers are more likely to stick to changes they have chosen themselves, so it helps to agree on them together.

1. **Keep a steady schedule:** Go to bed and get up at similar times every day. Try to keep weekend wake-up times within an hour or two of weekday times.
2. **Wind down without screens:** Put phones, tablets and games away for the last hour before bed, and charge them outside the bedroom if possible.
3. **Watch the caffeine:** Coffee, cola, some teas and energy drinks can keep the brain alert for hours. Avoid them in the afternoon and evening.
4. **Get morning light:** Daylight soon after waking helps reset the body clock earlier. A walk to school or breakfast by a window can help.
5. **Make the bedroom sleep-friendly:** Keep it dark, quiet, cool and comfortable, and use the bed for sleep rather than homework.
6. **Keep naps short:** If a nap is needed, keep it to 20 to 30 minutes and avoid napping late in the day.

## What parents and carers can do

Lead by example with your own screen and sleep habits, and try to make evenings calmer where you can. Talk about sleep as something that helps with sport, exams and mood rather than as a rule to be enforced. If schedules are packed, it may be worth looking at whether every activity is essential.

## When to talk to your clinician

Most teenage sleep problems improve with changes to routine. Talk to your doctor, or the school nurse, if your teenager snores loudly, gasps or seems to stop breathing during sleep; is very sleepy during the day despite getting enough hours in bed; lies awake for a long time on most nights for several weeks; or seems persistently low, anxious or withdrawn.

If a young person talks about harming themselves or about suicide, seek help urgently: contact your doctor or a crisis line straight away, or call emergency services if they are in immediate danger.
""",
        "key_takeaways": [
            "Teenagers aged 13 to 18 need about 8 to 10 hours of sleep in every 24 hours.",
            "A later body clock is a normal part of puberty, which clashes with early school start times.",
            "Daytime sleepiness, irritability and long weekend lie-ins can all be signs of too little sleep.",
            "A steady schedule, a screen-free wind-down and less caffeine are the most practical first steps.",
            "Loud snoring, pauses in breathing or ongoing low mood are reasons to talk to a doctor.",
        ],
        "faqs": [
            (
                "Is it OK for teenagers to sleep in at weekends?",
                "A modest lie-in can help make up for a short week, but very long weekend lie-ins "
                "push the body clock even later and make Monday mornings harder. Keeping weekend "
                "wake-up times within an hour or two of weekday times is a reasonable compromise.",
            ),
            (
                "Do phones really affect sleep?",
                "Phones can delay sleep in several ways: the content keeps the mind busy, "
                "notifications interrupt sleep, and bright screens late at night may make it harder "
                "to feel sleepy. Putting devices away for the last hour before bed and charging them "
                "outside the bedroom is a simple way to reduce these effects.",
            ),
            (
                "Should my teenager take melatonin?",
                "Melatonin is a medicine in some countries and a supplement in others, and it is not "
                "a substitute for good sleep habits. Don't start it without advice: talk to your "
                "doctor or pharmacist first, who can check whether it is suitable and how it should "
                "be used.",
            ),
            (
                "How can I tell if my teenager is just tired or has a sleep disorder?",
                "Ordinary sleep loss usually improves when a teenager gets more time in bed. If they "
                "are still very sleepy after several weeks of sleeping enough hours, or if they snore "
                "loudly, have pauses in breathing or fall asleep at unusual times, ask your doctor "
                "whether they need an assessment.",
            ),
        ],
        "references": [
            {
                "kind": "guideline",
                "authors": "Paruthi S, Brooks LJ, D'Ambrosio C, et al.",
                "title": "Recommended Amount of Sleep for Pediatric Populations: A Consensus "
                "Statement of the American Academy of Sleep Medicine",
                "publisher": "Journal of Clinical Sleep Medicine",
                "year": 2016,
                "doi": "10.5664/jcsm.5866",
                "pmid": "27250809",
            },
            {
                "kind": "web",
                "authors": "Centers for Disease Control and Prevention (CDC)",
                "title": "About Sleep",
                "url": "https://www.cdc.gov/sleep/about/index.html",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "study",
                "authors": "Hirshkowitz M, Whiton K, Albert SM, et al.",
                "title": "National Sleep Foundation's sleep time duration recommendations: "
                "methodology and results summary",
                "publisher": "Sleep Health",
                "year": 2015,
                "doi": "10.1016/j.sleh.2014.12.010",
                "pmid": "29073412",
            },
        ],
    },
    {
        "slug": "why-do-i-keep-waking-up-in-the-night",
        "tags": ["sleep"],
        "title": "Why do I keep waking up in the night?",
        "topic": "sleep",
        "author": "daniel-reyes",
        "medical_reviewer": "priya-raman",
        "short_answer": "Brief awakenings between sleep cycles are normal, but waking often or for "
        "long periods is usually linked to things like stress, alcohol, needing the toilet, "
        "a disturbing bedroom or an underlying health problem. Many of these causes can be "
        "improved, and persistent problems are worth discussing with a doctor.",
        "body": """## Some waking is normal

Sleep is not one long, even state. Through the night you move through cycles of lighter and deeper sleep, each lasting roughly 90 minutes. It is normal to surface briefly between cycles, and most people don't remember doing so. Sleep also tends to become lighter and more broken with age.

Waking becomes a problem when it happens often, when you can't get back to sleep, or when it leaves you tired, irritable or struggling to concentrate the next day [1].

## Common everyday causes

Often, more than one thing is involved. The table below shows some frequent culprits and simple changes to try.

| Possible cause | What might help |
|---|---|
| Alcohol in the evening | Alcohol can make you drowsy at first but tends to break up sleep later in the night, so try cutting down, especially near bedtime |
| Needing to pass urine | Drink less in the last couple of hours before bed, and go to the toilet just before you settle down |
| Stress or a busy mind | Build in a wind-down time, and jot down worries or tomorrow's tasks earlier in the evening |
| A hot, bright or noisy bedroom | Keep the room cool, dark and quiet, using blackout curtains or earplugs if needed |

Caffeine later in the day, heavy meals close to bedtime and irregular sleep times can also make sleep lighter and more easily disturbed.

## Health problems that can disturb sleep

Sometimes night waking is a sign of something that needs attention. Possible causes include:

- obstructive sleep apnoea, where the airway narrows during sleep, often with loud snoring, gasping or choking and daytime sleepiness [2]
- heartburn or acid reflux, which can be worse when lying down
- pain from conditions such as arthritis
- hot flushes and night sweats around the menopause
- anxiety or depression; waking very early and being unable to get back to sleep can be a feature of low mood
- restless legs, an uncomfortable urge to move the legs in the evening or at night
- needing to urinate often at night, which can have several causes, including prostate problems and diabetes
- side effects of some medicines

## What to do when you wake up

How you respond in the night can make it easier, or harder, to drift off again. These steps are based on the approach used in cognitive behavioural therapy for insomnia (CBT-I).

1. **Don't watch the clock:** Turn the clock away. Checking the time tends to increase frustration and keep you awake.
2. **Get up if you can't settle:** If you have been awake for what feels like about 20 minutes, get up and go to another room.
3. **Keep it calm and dim:** Read something undemanding or listen to quiet music in low light until you feel sleepy, then go back to bed.
4. **Avoid screens and snacks:** Scrolling on a phone or eating tends to wake the brain up further.
5. **Keep your usual wake-up time:** Get up at the same time the next morning even after a poor night, and avoid long daytime naps. This helps build a stronger drive to sleep the following night.

## Treatment for ongoing insomnia

Insomnia is usually described as long-term when sleep problems happen at least three nights a week for three months or more [3]. CBT-I is the recommended first treatment for long-term insomnia [3, 4]; it can be delivered face to face, in groups or through approved digital programmes. Sleeping tablets are generally only considered for short periods, because they can have side effects and their benefit often fades [1, 3].

## When to talk to your clinician

Talk to your doctor if changes to your sleep habits haven't helped, if poor sleep has gone on for months or is affecting your daily life, or if you have symptoms of an underlying problem such as loud snoring with pauses in breathing, night sweats or low mood. Ask your pharmacist before using over-the-counter sleep aids, and follow the label or your pharmacist's advice.

If you feel so sleepy that you could fall asleep while driving, don't drive until you have been assessed. If night waking comes with chest pain, severe breathlessness or thoughts of harming yourself, call emergency services.
""",
        "key_takeaways": [
            "Brief awakenings between sleep cycles are normal and become more common with age.",
            "Alcohol, caffeine, stress, needing the toilet and an uncomfortable bedroom are common causes of broken sleep.",
            "If you can't get back to sleep, getting up for a while in a calm, dim room is often more helpful than lying awake.",
            "Cognitive behavioural therapy for insomnia is the recommended first treatment for long-term insomnia.",
            "Loud snoring with pauses in breathing, night sweats or low mood are reasons to see a doctor.",
        ],
        "faqs": [
            (
                "Why do I always wake up at the same time every night?",
                "Waking at a similar time each night is common. It may reflect the end of a sleep "
                "cycle combined with something that tips you into full wakefulness, such as "
                "needing the toilet, a noise, the room warming up, or alcohol wearing off. Once the "
                "pattern is set, anticipating it can make it more likely. Following the steps above "
                "and keeping a simple sleep diary can help you spot the trigger.",
            ),
            (
                "Is it bad to look at my phone if I wake up?",
                "It is usually best avoided. Messages, news and social media can make your mind "
                "more alert, and checking the time reminds you how much sleep you are losing. If you "
                "need to get up, choose something calm and low-light instead.",
            ),
            (
                "Can sleeping tablets help?",
                "Prescription sleeping tablets may occasionally be used for a short time, for "
                "example during a crisis, but they are not a long-term solution for most people. "
                "Over-the-counter sleep aids can cause next-day drowsiness [1]. Talk to your doctor or "
                "pharmacist before using any sleep medicine.",
            ),
            (
                "How do I know if I have sleep apnoea?",
                "Common signs include loud snoring, pauses in breathing or gasping noticed by a "
                "partner, waking with a dry mouth or headache, and feeling very sleepy during the "
                "day [2]. Only a clinician can diagnose it, often with a sleep study, so see your "
                "doctor if these sound familiar.",
            ),
        ],
        "references": [
            {
                "kind": "web",
                "authors": "NHS",
                "title": "Insomnia",
                "url": "https://www.nhs.uk/conditions/insomnia/",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "web",
                "authors": "NHS",
                "title": "Sleep apnoea",
                "url": "https://www.nhs.uk/conditions/sleep-apnoea/",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "guideline",
                "authors": "Riemann D, Baglioni C, Bassetti C, et al.",
                "title": "European guideline for the diagnosis and treatment of insomnia",
                "publisher": "Journal of Sleep Research",
                "year": 2017,
                "doi": "10.1111/jsr.12594",
                "pmid": "28875581",
            },
            {
                "kind": "guideline",
                "authors": "Qaseem A, Kansagara D, Forciea MA, et al.",
                "title": "Management of Chronic Insomnia Disorder in Adults: A Clinical "
                "Practice Guideline From the American College of Physicians",
                "publisher": "Annals of Internal Medicine",
                "year": 2016,
                "doi": "10.7326/M15-2175",
                "pmid": "27136449",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Children's health
    # ------------------------------------------------------------------
    {
        "slug": "when-should-i-worry-about-my-childs-fever",
        "tags": ["fever", "infections"],
        # An editor's pick: most fevers in children come with a cold.
        "related_picks": ["how-long-does-a-cold-usually-last"],
        "title": "When should I worry about my child's fever?",
        "topic": "childrens-health",
        "author": "daniel-reyes",
        "medical_reviewer": "eleanor-marsh",
        "short_answer": "Most fevers in children are caused by common viral infections and get better "
        "on their own. Get medical advice urgently for any baby under 3 months with a temperature "
        "of 38°C (100.4°F) or higher, and for any child who seems very unwell, whatever the "
        "number on the thermometer.",
        "body": """## What counts as a fever?

In children, a temperature of 38°C (100.4°F) or higher is generally considered a fever. A fever is the body's normal response to infection, and most fevers in children are caused by common viral illnesses such as colds. The fever itself is not usually harmful [1].

How your child looks and behaves often tells you more than the exact number. A child with a high temperature who is still playing, drinking and responding to you is usually less worrying than a child with a lower temperature who is floppy or hard to wake.

## Taking your child's temperature

Use a digital thermometer. For babies and young children, clinicians in the UK usually recommend measuring under the arm [2], while US paediatric guidance often recommends a rectal reading for babies. Ear and forehead thermometers are convenient but can be less reliable, and forehead strips are not recommended [2]. Ask your health visitor, nurse or paediatrician which method suits your child's age.

## Age matters

Young babies have less developed immune systems and can become seriously unwell more quickly, so the threshold for seeking help is lower. The NHS uses these guides for babies [3], which match the temperature thresholds in NICE guidance [2].

| Child's age | Get urgent medical advice if the temperature is |
|---|---|
| Under 3 months | 38°C (100.4°F) or higher |
| 3 to 6 months | 39°C (102.2°F) or higher |
| Over 6 months | Judged mainly on how unwell the child seems and how long the fever lasts |

## Caring for your child at home

If your child is over 3 months old and otherwise seems well, you can usually care for them at home.

1. **Offer plenty of fluids:** Give regular drinks of water, or breast or formula milk for babies, even if they don't want to eat much.
2. **Watch for dehydration:** Look out for fewer wet nappies, a dry mouth, no tears when crying or, in babies, a sunken soft spot on the head.
3. **Keep them comfortable:** Dress them in light clothing and keep the room at a comfortable temperature. Don't bundle them up, and don't sponge them with cold water.
4. **Use medicine for comfort, not to chase a number:** Paracetamol (acetaminophen) or ibuprofen can help a distressed child feel better [1, 2]. Check the product is suitable for your child's age and weight, and follow the label or your pharmacist's advice. Never give aspirin to children under 16.
5. **Check on them regularly:** Look in on your child during the night as well as the day, and keep them home from nursery or school while they have a fever.

## Red-flag signs

Call emergency services if your child:

- has a fit (seizure) for the first time, or a fit that lasts more than 5 minutes
- has a rash that does not fade when you press a glass against it
- is struggling to breathe, is grunting, or you can see the skin sucking in under the ribs
- has blue, grey, very pale or blotchy skin, lips or tongue
- is floppy, unusually drowsy or difficult to wake
- has a stiff neck, a bulging soft spot on the head, or a weak, high-pitched cry that isn't like their usual cry

## When to talk to your clinician

Contact your doctor, nurse advice line or out-of-hours service the same day if your child is under 3 months old with a temperature of 38°C or higher, or 3 to 6 months old with a temperature of 39°C or higher. Do the same if your child shows signs of dehydration, is not feeding or eating as usual, has a long-term condition that affects their immune system or heart, or simply seems more unwell than you would expect.

Also get advice if a fever lasts longer than expected. The NHS suggests seeing a GP if a fever lasts 5 days or more [3]. US paediatric guidance suggests calling sooner: if a fever lasts more than 24 hours in a child under 2, or more than 3 days in an older child [4]. Trust your instincts: if you are worried, it is always reasonable to ask.
""",
        "key_takeaways": [
            "A temperature of 38°C (100.4°F) or higher is generally considered a fever in children.",
            "Any baby under 3 months with a fever needs urgent medical advice.",
            "How your child looks and behaves matters more than the exact temperature.",
            "Fluids, light clothing and, if needed, age-appropriate paracetamol or ibuprofen help most children feel more comfortable.",
            "A rash that doesn't fade under a glass, breathing difficulty, a first fit or a floppy, hard-to-wake child are emergencies.",
        ],
        "faqs": [
            (
                "Should I always bring my child's temperature down?",
                "No. The aim of treatment is to help your child feel more comfortable, not to get the "
                "thermometer back to normal [1]. If your child has a fever but is happy and drinking, "
                "medicine may not be needed. Bringing the temperature down does not prevent "
                "febrile seizures [1, 2].",
            ),
            (
                "Can I give paracetamol and ibuprofen together?",
                "Don't give both at the same time. If one medicine hasn't helped and your child is "
                "still distressed, you may be able to try the other before the next dose of the first "
                "is due [2], but ask your pharmacist, nurse or doctor for advice first. Always follow the "
                "label or your pharmacist's advice on doses and timing.",
            ),
            (
                "What is a febrile seizure?",
                "A febrile seizure is a fit caused by a high temperature. It is most common between "
                "about 6 months and 5 years of age. Although very frightening to watch, most "
                "febrile seizures stop within a few minutes and do not cause lasting harm.\n\n"
                "Call emergency services if it is your child's first fit, if it lasts more than 5 "
                "minutes, or if your child does not wake up properly afterwards.",
            ),
            (
                "Is teething a cause of high fever?",
                "Teething may make a baby's temperature slightly higher, but it is not thought to "
                "cause a true fever of 38°C or more. If your teething baby has a fever, look for "
                "another cause and get advice if you are unsure.",
            ),
        ],
        "references": [
            {
                "kind": "review",
                "authors": "Sullivan JE, Farrar HC",
                "title": "Fever and antipyretic use in children",
                "publisher": "Pediatrics",
                "year": 2011,
                "doi": "10.1542/peds.2010-3852",
                "pmid": "21357332",
            },
            {
                "kind": "guideline",
                "authors": "National Institute for Health and Care Excellence (NICE)",
                "title": "Fever in under 5s: assessment and initial management (NG143)",
                "year": 2019,
                "url": "https://www.nice.org.uk/guidance/ng143",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "web",
                "authors": "NHS",
                "title": "High temperature (fever) in children",
                "url": "https://www.nhs.uk/conditions/fever-in-children/",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "web",
                "authors": "American Academy of Pediatrics (HealthyChildren.org)",
                "title": "Fever: When to Call the Pediatrician",
                "url": "https://www.healthychildren.org/English/health-issues/conditions/fever/Pages/When-to-Call-the-Pediatrician.aspx",
                "accessed_on": ACCESSED,
            },
        ],
    },
    {
        "slug": "how-much-screen-time-is-ok-for-young-children",
        "tags": ["screen time", "sleep"],
        "title": "How much screen time is OK for young children?",
        "topic": "childrens-health",
        "author": "hannah-okafor",
        "medical_reviewer": "eleanor-marsh",
        "short_answer": "The World Health Organization recommends no sedentary screen time for babies "
        "and 1-year-olds, and no more than 1 hour a day for children aged 2 to 4, with less being "
        "better. What children watch, and whether an adult watches with them, matters as well as "
        "how long.",
        "body": """## What the guidelines say

Screens are part of family life, and guidance for young children focuses on making sure screen time doesn't crowd out the things they need most: sleep, active play and time with the people who care for them. The main international recommendations are summarised below [1, 2].

| Age | World Health Organization (2019) | American Academy of Pediatrics |
|---|---|---|
| Under 1 year | Screen time not recommended | Avoid screens other than video calls with family until about 18 months |
| 1 to 2 years | Not recommended at age 1; at age 2, no more than 1 hour a day, and less is better | From 18 months, only high-quality content, watched together with an adult |
| 2 to 5 years | No more than 1 hour a day (WHO guidance covers ages 3 and 4), and less is better | About 1 hour a day of high-quality programmes, watched together |

In the UK, the Royal College of Paediatrics and Child Health has not set specific time limits. Instead it encourages families to agree their own limits based on whether screen use is getting in the way of sleep, activity, family time and other needs.

Video calls with grandparents or other family members are generally treated differently from watching videos alone, because they involve real back-and-forth conversation [2].

## Why the early years matter

Babies and toddlers learn language and social skills mainly through everyday interaction: talking, singing, reading, playing and responding to each other. They find it hard to learn from a screen in the same way, especially without an adult to help them make sense of it.

Screen time also tends to be sitting-down time. The WHO guidance for children under 5 was written alongside advice on active play and sleep, because all three are linked [1].

## What screens can crowd out

The concern with too much screen time is often less about the screen itself and more about what it replaces. Watch for screens taking the place of:

- sleep, especially when screens are used in the hour before bed or in the bedroom
- active, physical play, indoors and outdoors
- talking, reading and playing together
- unstructured play, where children invent their own games
- family meals and conversation

## Making screen time work better

If your child does use screens, these steps can help make it a more positive part of the day.

1. **Watch together when you can:** Talking about what you are seeing, and linking it to real life, helps young children understand and learn from it.
2. **Choose quality:** Look for age-appropriate, slower-paced programmes and apps designed for young children, and avoid content with lots of advertising.
3. **Protect sleep:** Keep screens out of the bedroom and switch them off at least an hour before bedtime [2].
4. **Keep mealtimes screen-free:** Meals are a valuable time for conversation, for noticing hunger and fullness, and for family routines [2].
5. **Make a family plan:** Agree simple rules together, such as when and where screens are used. The American Academy of Pediatrics offers a free Family Media Plan tool to help with this [3].
6. **Notice your own habits:** Young children copy what they see. Putting your own phone away during play and meals helps them, and you, stay connected.

## When to talk to your clinician

Talk to your health visitor, doctor or paediatrician if you are worried about your child's speech, language or social development, if screen use is affecting their sleep or behaviour, or if it is becoming very hard for your child to stop using screens without severe distress. These concerns have many possible causes, and an early conversation can help you find the right support.
""",
        "key_takeaways": [
            "The WHO recommends no sedentary screen time for babies and 1-year-olds.",
            "For children aged 2 to 4, the WHO recommends no more than 1 hour of screen time a day, and less is better.",
            "Watching together and choosing high-quality content make screen time more useful for young children.",
            "Keeping screens out of bedrooms and away from bedtime helps protect sleep.",
            "Video calls with family are generally viewed differently from watching videos alone.",
        ],
        "faqs": [
            (
                "Do video calls count as screen time?",
                "Most guidance treats video calls with family and friends differently, because they "
                "involve real conversation and responses. The American Academy of Pediatrics "
                "specifically excludes video chatting from its advice to avoid screens before about "
                "18 months [2].",
            ),
            (
                "Are educational apps better than TV?",
                "Some apps and programmes are designed with young children's learning in mind, but "
                'the label "educational" doesn\'t guarantee quality. Young children still learn most '
                "from interaction with adults, so using any app or programme together, and talking "
                "about it, is more important than the format.",
            ),
            (
                "What if my child has more screen time than recommended?",
                "Many families find the limits hard to meet every day, especially during illness or "
                "busy periods. Rather than worrying about an exact number, focus on protecting "
                "sleep, active play and time together, and make gradual changes that you can "
                "keep up.",
            ),
        ],
        "references": [
            {
                "kind": "guideline",
                "authors": "World Health Organization",
                "title": "Guidelines on physical activity, sedentary behaviour and sleep for "
                "children under 5 years of age",
                "publisher": "World Health Organization",
                "year": 2019,
                "url": "https://www.who.int/publications/i/item/9789241550536",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "guideline",
                "authors": "Council on Communications and Media",
                "title": "Media and Young Minds",
                "publisher": "Pediatrics",
                "year": 2016,
                "doi": "10.1542/peds.2016-2591",
                "pmid": "27940793",
            },
            {
                "kind": "web",
                "authors": "American Academy of Pediatrics (HealthyChildren.org)",
                "title": "Family Media Plan",
                "url": "https://www.healthychildren.org/English/fmp/Pages/MediaPlan.aspx",
                "accessed_on": ACCESSED,
            },
        ],
    },
    # ------------------------------------------------------------------
    # Coughs, colds and infections
    # ------------------------------------------------------------------
    {
        "slug": "how-long-does-a-cold-usually-last",
        "tags": ["infections", "fever", "self-care"],
        "title": "How long does a cold usually last?",
        "topic": "coughs-colds-and-infections",
        "author": "hannah-okafor",
        "medical_reviewer": "priya-raman",
        "short_answer": "Most adults start to feel better from a cold within about 7 to 10 days, "
        "although a cough can linger for longer. Young children often take a little longer to "
        "recover and catch colds more often.",
        "body": """## What causes a cold

A common cold is a viral infection of the nose and throat. Many different viruses can cause one, which is why it is possible to catch several colds a year. Young children commonly have several colds a year as their immune systems meet these viruses for the first time.

Colds spread through droplets from coughs and sneezes, and by touching surfaces and then your eyes, nose or mouth [1]. Symptoms usually start a day or two after being exposed.

## A typical timeline

Every cold is different, but many follow a broadly similar pattern.

| Stage | What is typical |
|---|---|
| First 1 to 3 days | Scratchy or sore throat, sneezing, runny nose and feeling run down |
| Around days 4 to 7 | Blocked nose, thicker mucus that may turn yellow or green, and often a cough |
| Second week | Most symptoms easing, although a cough and tiredness may hang on |

Yellow or green mucus is common in an ordinary cold and does not, on its own, mean you have a bacterial infection or need antibiotics.

## Easing the symptoms

There is no cure for a cold, and antibiotics don't work against the viruses that cause it [2, 3]. Symptoms usually settle by themselves, and these steps can make you more comfortable in the meantime.

1. **Rest:** Take it easy and get plenty of sleep while you feel unwell.
2. **Drink plenty of fluids:** Warm drinks can be soothing and help avoid dehydration, especially if you have a temperature.
3. **Soothe a sore throat:** Adults and older children can gargle with warm salty water. A warm drink with honey and lemon may help, but don't give honey to babies under 1 year.
4. **Use pharmacy remedies carefully:** Painkillers such as paracetamol or ibuprofen can ease aches and fever, and decongestants may help a blocked nose. Many cold remedies already contain paracetamol, so check labels to avoid taking a double dose [2], and follow the label or your pharmacist's advice. Many cough and cold medicines are not suitable for young children [3].
5. **Stop it spreading:** Wash your hands often, catch coughs and sneezes in a tissue and bin it, and avoid sharing towels and cups.

## When it may be more than a cold

Some illnesses start like a cold but need a different approach. Signs that something else may be going on include:

- symptoms that get worse after the first week, or improve and then return
- a high temperature that lasts for more than a few days
- pain in the face or forehead that doesn't settle, or earache
- a cough that lasts more than 3 weeks
- chest pain, shortness of breath or coughing up blood
- sudden high fever with aching muscles and exhaustion, which is more typical of flu

## When to talk to your clinician

Most colds can be managed at home, and a pharmacist is a good first place to ask about remedies. Talk to your doctor if your symptoms haven't improved after about 3 weeks, if they get suddenly worse, if you are worried about a baby or young child, or if you have a long-term condition such as heart or lung disease, diabetes or a weakened immune system [2].

Call emergency services if you or your child have severe difficulty breathing, chest pain, blue or grey lips or skin, or become confused or very drowsy.
""",
        "key_takeaways": [
            "Most adults feel better from a cold within about 7 to 10 days.",
            "A cough can linger after other symptoms have cleared.",
            "Antibiotics don't work against colds, which are caused by viruses.",
            "Yellow or green mucus is common in a cold and doesn't by itself mean you need antibiotics.",
            "See a doctor if symptoms last more than 3 weeks, get suddenly worse, or you have a long-term condition.",
        ],
        "faqs": [
            (
                "When am I most contagious with a cold?",
                "People are generally most likely to pass on a cold in the first few days of "
                "symptoms, and may be able to spread it from shortly before symptoms start. Good "
                "hand hygiene and catching coughs and sneezes in a tissue help protect others.",
            ),
            (
                "How can I tell a cold from flu?",
                "Colds usually come on gradually and mainly affect the nose and throat. Flu tends to "
                "start suddenly, often with a high temperature, aching muscles, exhaustion and "
                "feeling too unwell to carry on as normal. If you are in a higher-risk group and "
                "think you have flu, contact your doctor or pharmacist early.",
            ),
            (
                "Does vitamin C or zinc cure a cold?",
                "Neither is a cure. The evidence for preventing or shortening colds with supplements "
                "is mixed, and high doses can cause side effects [3]. If you want to try a supplement, "
                "ask your pharmacist whether it is suitable for you and follow the label or your "
                "pharmacist's advice.",
            ),
        ],
        "references": [
            {
                "kind": "web",
                "authors": "Centers for Disease Control and Prevention (CDC)",
                "title": "About Common Cold",
                "url": "https://www.cdc.gov/common-cold/about/index.html",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "web",
                "authors": "NHS",
                "title": "Common cold",
                "url": "https://www.nhs.uk/conditions/common-cold/",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "review",
                "authors": "Allan GM, Arroll B",
                "title": "Prevention and treatment of the common cold: making sense of the "
                "evidence",
                "publisher": "CMAJ",
                "year": 2014,
                "doi": "10.1503/cmaj.121442",
                "pmid": "24468694",
            },
        ],
    },
    {
        "slug": "do-i-need-antibiotics-for-a-sore-throat",
        "tags": ["infections", "medicines"],
        "title": "Do I need antibiotics for a sore throat?",
        "topic": "coughs-colds-and-infections",
        "author": "hannah-okafor",
        "medical_reviewer": "priya-raman",
        "short_answer": "Usually not. Most sore throats are caused by viruses and get better on their "
        "own within about a week; antibiotics only help when a bacterial infection such as strep "
        "throat is likely or confirmed.",
        "body": """## Why most sore throats don't need antibiotics

A sore throat is one of the most common reasons people seek health advice. Most are caused by the same viruses that cause colds and flu [1]. Antibiotics only work against bacteria, so they don't help a viral sore throat get better any faster.

Taking antibiotics when they are not needed can also cause harm. They can lead to side effects such as diarrhoea, stomach upset, rashes and thrush, and some people have allergic reactions. Every course of antibiotics also adds to the risk of antibiotic resistance, which makes bacterial infections harder to treat in the future [2].

## When bacteria may be the cause

The most common bacterial cause is group A streptococcus, which causes strep throat. It is more common in children and teenagers than in adults [3]. Strep throat is usually treated with antibiotics, partly to ease symptoms and partly to reduce the risk of rare complications [3, 4].

Clinicians can't tell the cause just by looking, but some features make a bacterial infection more or less likely.

| Feature | More typical of a virus | More typical of strep throat |
|---|---|---|
| Cough, runny nose or hoarse voice | Common | Uncommon |
| Swollen, tender glands at the front of the neck | Sometimes | Common |
| Swollen tonsils with white patches | Sometimes | Common |
| Sudden sore throat with fever | Can happen | Common |

Your clinician may combine these features into a simple scoring system [2] and, in some settings, use a rapid strep test or throat swab [3]. If a bacterial infection seems possible but not certain, some clinicians offer a back-up prescription, to be used only if symptoms don't improve or get worse [2].

In some areas, including England, pharmacists can assess sore throats and supply treatment when it is appropriate.

## Easing a sore throat at home

Whatever the cause, these steps can help you feel more comfortable while you recover.

1. **Take pain relief if you need it:** Paracetamol or ibuprofen can ease pain and fever [2]. Follow the label or your pharmacist's advice, and check that any medicine is suitable if you have other health conditions or take other medicines.
2. **Drink plenty of fluids:** Cool or warm drinks are both fine; choose whatever feels most soothing, and avoid getting dehydrated.
3. **Eat soft foods:** Cool, soft foods are often easier to swallow.
4. **Gargle with warm salty water:** This can help adults and older children, but is not suitable for young children.
5. **Try lozenges or sprays:** Medicated lozenges and throat sprays from a pharmacy may help. Lozenges are not suitable for young children because of the risk of choking.
6. **Rest:** Stay home from work or school while you have a fever.

If you are prescribed antibiotics, take them exactly as prescribed and ask your pharmacist about possible side effects.

## When to talk to your clinician

Talk to your doctor, or ask a pharmacist, if:

- your sore throat hasn't started to improve after about a week [1]
- you have a high temperature or feel hot and shivery
- you get sore throats often
- you have a weakened immune system, for example because of chemotherapy or certain medicines
- there is marked swelling on one side of the throat, or you can't open your mouth fully

Call emergency services if you or your child have difficulty breathing or noisy, high-pitched breathing, are drooling because you can't swallow, are unable to swallow fluids, or have a sore throat with a rapidly spreading rash or signs of serious illness such as confusion or cold, blotchy skin.
""",
        "key_takeaways": [
            "Most sore throats are caused by viruses and get better on their own within about a week.",
            "Antibiotics only help when a bacterial infection such as strep throat is likely or confirmed.",
            "Unneeded antibiotics can cause side effects and add to antibiotic resistance.",
            "Pain relief, fluids and rest are the mainstays of treatment for most sore throats.",
            "Difficulty breathing, drooling or being unable to swallow fluids needs emergency help.",
        ],
        "faqs": [
            (
                "How is strep throat diagnosed?",
                "A clinician looks at your symptoms and examines your throat and neck. Depending on "
                "where you live, they may also use a rapid test or take a throat swab to look for "
                "group A streptococcus [3]. A positive result helps decide whether antibiotics are "
                "likely to help.",
            ),
            (
                "Can a sore throat be a sign of something serious?",
                "Rarely. Warning signs include difficulty breathing, drooling, being unable to "
                "swallow or open the mouth, and severe swelling on one side of the throat, which "
                "can be a sign of an abscess called quinsy. These need urgent medical attention.",
            ),
            (
                "Will antibiotics help me get back to work sooner?",
                "For a viral sore throat, antibiotics won't speed up recovery. Even for strep "
                "throat, they usually shorten symptoms only modestly [4]. Resting, managing pain and "
                "staying home while you have a fever are the most useful steps for most people.",
            ),
            (
                "Is it tonsillitis or just a sore throat?",
                "Tonsillitis means the tonsils are inflamed, often with swelling and sometimes "
                "white patches. Like other sore throats, it is usually caused by a virus and "
                "managed in the same way. Your clinician can advise whether antibiotics are needed.",
            ),
        ],
        "references": [
            {
                "kind": "web",
                "authors": "NHS",
                "title": "Sore throat",
                "url": "https://www.nhs.uk/conditions/sore-throat/",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "guideline",
                "authors": "National Institute for Health and Care Excellence (NICE)",
                "title": "Sore throat (acute): antimicrobial prescribing (NG84)",
                "year": 2018,
                "url": "https://www.nice.org.uk/guidance/ng84",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "web",
                "authors": "Centers for Disease Control and Prevention (CDC)",
                "title": "Strep Throat",
                "url": "https://www.cdc.gov/group-a-strep/about/strep-throat.html",
                "accessed_on": ACCESSED,
            },
            {
                "kind": "review",
                "authors": "Spinks A, Glasziou PP, Del Mar CB",
                "title": "Antibiotics for treatment of sore throat in children and adults",
                "publisher": "Cochrane Database of Systematic Reviews",
                "year": 2021,
                "doi": "10.1002/14651858.CD000023.pub5",
            },
        ],
    },
]
