use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::registration::RegistrationLine;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanySpace {
    pub id: i64,
    pub name: String,
    pub roles: Vec<Role>,
    pub registrations: Vec<RegistrationLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySpaces {
    pub display_name: String,
    pub own_trainings: Vec<RegistrationLine>,
    /// Registrations whose questionnaire is still to fill.
    pub surveys_to_fill: Vec<i64>,
    pub companies: Vec<CompanySpace>,
}

/// The logged-in user's spaces: his own trainings, and each company where he holds a right.
#[server(endpoint = "spaces/mine")]
pub async fn get_my_spaces() -> Result<MySpaces, AppError> {
    crate::error::respond(async move {
        use crate::auth::server::Need;
        use crate::server::{companies, registrations};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?;
        let own_trainings = registrations::of_participant(caller.db(), &user.email).await?;
        let mut spaces = Vec::new();
        for (company, _) in companies::of_user(caller.db(), &user.email).await? {
            let access = caller.require_company(company.id, Need::Member).await?;
            spaces.push(CompanySpace {
                id: company.id,
                name: access.name,
                roles: access.roles,
                registrations: registrations::of_company(caller.db(), company.id).await?,
            });
        }
        let surveys_to_fill = crate::server::surveys::pending_for(caller.db(), &user.email).await?;
        Ok(MySpaces { display_name: user.display_name(), own_trainings, surveys_to_fill, companies: spaces })
    }
    .await)
    .await
}
