//! The DOPA registration categories encoded in the first digit of a 13-digit number.

use crate::lang::Lang;

/// The DOPA registration category a 13-digit number's first digit encodes (types 0–8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PersonCategory {
    /// 0: not a Thai national; stateless or non-registered person's document.
    NonThaiUnregistered,
    /// 1: Thai, born after 1984 and birth registered on time.
    ThaiBornOnTime,
    /// 2: Thai, born after 1984 and birth registered late.
    ThaiBornLate,
    /// 3: Thai or foreigner already in a house registration before 1984.
    RegisteredBefore1984,
    /// 4: Thai or foreigner who moved in before 1984 and was numbered late.
    MovedInBefore1984,
    /// 5: Thai added to a house registration later (missed in the census or duplicate record).
    ThaiAddedLater,
    /// 6: foreigner living in Thailand temporarily, or who entered illegally.
    TemporaryForeigner,
    /// 7: child of a category-6 person, born in Thailand.
    ChildOfTemporaryForeigner,
    /// 8: foreigner with permanent residence, or naturalised Thai, after 1984.
    ForeignerOrNaturalised,
}

impl PersonCategory {
    /// Every category in digit order, for legends and filters.
    pub const ALL: [PersonCategory; 9] = [
        PersonCategory::NonThaiUnregistered,
        PersonCategory::ThaiBornOnTime,
        PersonCategory::ThaiBornLate,
        PersonCategory::RegisteredBefore1984,
        PersonCategory::MovedInBefore1984,
        PersonCategory::ThaiAddedLater,
        PersonCategory::TemporaryForeigner,
        PersonCategory::ChildOfTemporaryForeigner,
        PersonCategory::ForeignerOrNaturalised,
    ];

    /// The category for a first digit 0–8; `None` for 9, which DOPA does not issue.
    pub fn from_digit(digit: u8) -> Option<PersonCategory> {
        Self::ALL.get(usize::from(digit)).copied()
    }

    /// The first digit that encodes this category.
    pub fn digit(self) -> u8 {
        match self {
            PersonCategory::NonThaiUnregistered => 0,
            PersonCategory::ThaiBornOnTime => 1,
            PersonCategory::ThaiBornLate => 2,
            PersonCategory::RegisteredBefore1984 => 3,
            PersonCategory::MovedInBefore1984 => 4,
            PersonCategory::ThaiAddedLater => 5,
            PersonCategory::TemporaryForeigner => 6,
            PersonCategory::ChildOfTemporaryForeigner => 7,
            PersonCategory::ForeignerOrNaturalised => 8,
        }
    }

    /// A short label explaining the category next to the number (reference data, not UI prose).
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PersonCategory::NonThaiUnregistered, Lang::Th) => {
                "บุคคลที่ไม่มีสถานะทางทะเบียน / ไม่มีสัญชาติไทย"
            }
            (PersonCategory::NonThaiUnregistered, Lang::En) => {
                "Non-Thai: stateless or no registration status"
            }
            (PersonCategory::ThaiBornOnTime, Lang::Th) => "คนไทย เกิดหลังปี 2527 แจ้งเกิดภายในกำหนด",
            (PersonCategory::ThaiBornOnTime, Lang::En) => {
                "Thai, born after 1984, birth registered on time"
            }
            (PersonCategory::ThaiBornLate, Lang::Th) => "คนไทย เกิดหลังปี 2527 แจ้งเกิดเกินกำหนด",
            (PersonCategory::ThaiBornLate, Lang::En) => {
                "Thai, born after 1984, birth registered late"
            }
            (PersonCategory::RegisteredBefore1984, Lang::Th) => {
                "คนไทยหรือคนต่างด้าวที่มีชื่อในทะเบียนบ้านก่อนปี 2527"
            }
            (PersonCategory::RegisteredBefore1984, Lang::En) => {
                "Thai or foreigner in a house registration before 1984"
            }
            (PersonCategory::MovedInBefore1984, Lang::Th) => {
                "คนไทยหรือคนต่างด้าวที่ย้ายเข้าก่อนปี 2527 แต่ได้เลขประจำตัวภายหลัง"
            }
            (PersonCategory::MovedInBefore1984, Lang::En) => {
                "Thai or foreigner who moved in before 1984, numbered late"
            }
            (PersonCategory::ThaiAddedLater, Lang::Th) => {
                "คนไทยที่เพิ่มชื่อเข้าทะเบียนบ้านภายหลัง (ตกสำรวจ/ทะเบียนซ้ำ)"
            }
            (PersonCategory::ThaiAddedLater, Lang::En) => {
                "Thai added to a registration later (missed or duplicate)"
            }
            (PersonCategory::TemporaryForeigner, Lang::Th) => {
                "คนต่างด้าวที่อยู่ชั่วคราว หรือเข้าเมืองโดยไม่ชอบด้วยกฎหมาย"
            }
            (PersonCategory::TemporaryForeigner, Lang::En) => {
                "Foreigner living temporarily or entered illegally"
            }
            (PersonCategory::ChildOfTemporaryForeigner, Lang::Th) => {
                "บุตรของบุคคลประเภท 6 ที่เกิดในประเทศไทย"
            }
            (PersonCategory::ChildOfTemporaryForeigner, Lang::En) => {
                "Child of a category-6 person, born in Thailand"
            }
            (PersonCategory::ForeignerOrNaturalised, Lang::Th) => {
                "คนต่างด้าวที่มีถิ่นที่อยู่ถาวร หรือผู้ได้สัญชาติไทยหลังปี 2527"
            }
            (PersonCategory::ForeignerOrNaturalised, Lang::En) => {
                "Foreign resident or naturalised Thai after 1984"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_round_trip() {
        for (i, category) in PersonCategory::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(category.digit()), i);
            assert_eq!(PersonCategory::from_digit(category.digit()), Some(category));
        }
        assert_eq!(PersonCategory::from_digit(9), None);
        assert_eq!(PersonCategory::from_digit(255), None);
    }

    #[test]
    fn labels_exist_and_differ() {
        for lang in Lang::ALL {
            let mut labels: Vec<_> = PersonCategory::ALL.iter().map(|c| c.label(lang)).collect();
            assert!(labels.iter().all(|l| !l.is_empty()));
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), PersonCategory::ALL.len());
        }
        assert!(PersonCategory::ThaiBornOnTime
            .label(Lang::Th)
            .contains("คนไทย"));
        assert!(PersonCategory::ThaiBornOnTime
            .label(Lang::En)
            .starts_with("Thai"));
    }
}
